/**
 * Child side: exit as soon as the parent is gone. The IPC channel closes when the parent dies,
 * however it dies (Ctrl-C, crash, SIGKILL), so no feedbench child outlives the run.
 */
export function exitWithParent(cleanup: () => void = () => {}): void {
  const leave = () => {
    try {
      cleanup();
    } finally {
      process.exit(0);
    }
  };
  process.once('disconnect', leave);
  if (!process.connected) leave();
  // The parent ends children with SIGTERM; exit promptly rather than finishing held work.
  process.once('SIGTERM', leave);
  process.once('SIGINT', () => {
    /* Ctrl-C reaches the whole process group: the parent decides, and ends us if need be. */
  });
}
