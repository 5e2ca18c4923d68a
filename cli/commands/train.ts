import { stageCommand } from '../stages/dispatch';

export const command = stageCommand('train', 'Train a stage of the stacked network and write its model and report', (stage, context) => stage.train(context));
