// FOR TESTS ONLY (preloaded with `node --import`): shifts Date.now by NEWSMUX_TEST_CLOCK_OFFSET_MS, so a child process
// can run "six minutes later" and find a killed process's pass lock (5-minute TTL) expired, without waiting for it.
// A constant offset leaves every duration (timeouts, deadlines) as it was.
const offset = Number(process.env.NEWSMUX_TEST_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + offset;
}
