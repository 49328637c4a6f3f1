/**
 * State that lives in modules but belongs to one run: each command that runs starts without what an
 * earlier run in the same process (tests run the CLI in-process) learned.
 */
import { forgetLearnedSecrets } from '../target/learnedSecrets.js';
import { forgetSweptFolders } from '../util/tempFiles.js';

/** Forget the secrets servers handed out and the folders whose stale temporaries were swept. */
export function resetRunState(): void {
  forgetLearnedSecrets();
  forgetSweptFolders();
}
