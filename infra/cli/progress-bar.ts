/** A one-line progress bar on stderr, redrawn in place on a terminal and printed per step otherwise. */
export function progressBar(total: number, label: string) {
  const width = 30;
  return (done: number, detail = '') => {
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label} ${detail}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}
