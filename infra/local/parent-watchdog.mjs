// Usage: node parent-watchdog.mjs <parentPid> <childPid>
//
// Ends a child process (DynamoDB Local's Java) once the process that started it is gone, however
// it went: a clean stop, Ctrl-C, SIGTERM, a crash, SIGKILL. The child runs in its own process
// group so a terminal's Ctrl-C does not kill the database under the stop path's last writes; this
// watchdog, in a group of its own too, is what ties its life to its parent's. Plain JavaScript,
// run by node itself: it must start without tsx and cost next to nothing while it polls.
const [parentPid, childPid] = process.argv.slice(2).map(Number);

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

const signal = (pid, name) => {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
};

const watching = setInterval(() => {
  if (!alive(childPid)) process.exit(0);
  if (alive(parentPid)) return;
  clearInterval(watching);
  signal(childPid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  setInterval(() => {
    if (!alive(childPid)) process.exit(0);
    if (Date.now() < deadline) return;
    signal(childPid, 'SIGKILL');
    process.exit(0);
  }, 100);
}, 250);
