/**
 * Mocha's spec reporter plus one plain last line, `N passed, N failed`, that CI can read. Mocha
 * itself still sets the exit code (the number of failures), so a failing test fails the run.
 */
import Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    // Registered after Spec's own end handler, so this line comes after its epilogue.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats;
      console.log(`${stats?.passes ?? 0} passed, ${stats?.failures ?? 0} failed`);
    });
  }
}

export = SummaryReporter;
