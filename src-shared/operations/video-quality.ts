/**
 * The quality bar of the "video quality %" KPI (decision 0020), one definition for both sources of
 * call quality: the room app's own call summaries (devices) and the statistics every SDK client
 * sends the conference node (call records). A call counts when it lasted at least `minSeconds`;
 * it is good when its averages are within bounds, its received video was frozen for at most
 * `maxFrozenShare` of the time and below `minVideoHeight` lines for at most `maxLowResolutionShare`.
 */
export const VIDEO_QUALITY_BAR = {
  minSeconds: 30,
  maxPacketLossPercent: 2,
  maxJitterMs: 30,
  minFrameRate: 15,
  maxFrozenShare: 0.01,
  minVideoHeight: 360,
  maxLowResolutionShare: 0.2,
} as const;
