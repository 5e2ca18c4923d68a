import type { Scenario } from '../types';
import type { ScenarioModule } from './common';
import { kitchen } from './kitchen';
import { factory } from './factory';
import { tabletop } from './tabletop';

const MODULES: Readonly<Record<Scenario, ScenarioModule>> = { kitchen, factory, tabletop };

export function scenarioModule(s: Scenario): ScenarioModule {
  const m = MODULES[s];
  if (!m) throw new Error(`unknown scenario '${s}' (expected kitchen, factory or tabletop)`);
  return m;
}
