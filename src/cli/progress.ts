/**
 * A one-line progress counter on stderr while a long pass runs, only when stderr is a terminal (logs stay clean when
 * piped or collected).
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 200) return;
    last = now;
    stream.write(`\r\x1b[2Ksources ${done}/${total}${done === total ? '\n' : ''}`);
  };
}
