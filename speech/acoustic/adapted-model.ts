/**
 * The acoustic model adapted to synthetic voices (`h2r speech adapt`): means, variances, mixture
 * weights and transition matrices that replace the Debian model's, which still provides the
 * model definition, feature parameters and noise dictionary.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Under the speech model directory (models/speech). */
export const ACOUSTIC_DIRECTORY = 'acoustic';

/** pocketsphinx flag -> file in the adapted model directory. */
export const ADAPTED_FILES: Readonly<Record<string, string>> = {
  '-mean': 'means',
  '-var': 'variances',
  '-sendump': 'sendump',
  '-tmat': 'transition_matrices',
};

/** The flags that make pocketsphinx load the adapted parameters; throws naming a missing file. */
export function adaptedModelFlags(directory: string): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const [flag, file] of Object.entries(ADAPTED_FILES)) {
    const full = path.join(directory, file);
    if (!fs.existsSync(full)) {
      throw new Error(`adapted acoustic model file ${full} is missing; rebuild it with 'h2r speech adapt' or decode with the Debian model (adapted_acoustic_model: '')`);
    }
    flags[flag] = full;
  }
  return flags;
}
