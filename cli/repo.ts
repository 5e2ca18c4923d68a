/** Where the repository is, and the ROS 2 packages it holds, as seen from the built CLI. */
import * as fs from 'fs';
import * as path from 'path';

/** The package whose nodes h2r runs (`<node pkg="h2r_at">`, `ros2 run h2r_at ...`). */
export const NODE_PACKAGE = 'h2r_at';

/** The directory holding this project's package.json, found upwards from the compiled file. */
export function repositoryRoot(start: string = __dirname): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (fs.existsSync(manifest) && readPackageName(manifest) === 'h2r-at') return directory;
    if (path.dirname(directory) === directory) {
      throw new Error(`cannot find the h2r-at repository above ${start}`);
    }
  }
}

function readPackageName(manifest: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * What `$(find-pkg-share ...)` gives under h2r launch: the repository stands in for h2r_at's share
 * directory (ros/h2r_at installs its launch/ directory there), and the interface package is in place.
 */
export function packageShareDirectories(root: string = repositoryRoot()): Record<string, string> {
  return {
    [NODE_PACKAGE]: root,
    h2r_interfaces: path.join(root, 'interfaces', 'h2r_interfaces'),
  };
}

export function packageVersion(root: string = repositoryRoot()): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
