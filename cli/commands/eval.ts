import { stageCommand } from '../stages/dispatch';

export const command = stageCommand('eval', 'Evaluate a trained stage on held-out and training data (JSON and PNG report)', (stage, context) => stage.evaluate(context));
