import { useEffect, useRef } from 'react';

/**
 * A `<video>` showing a MediaStream. `muted` is for the self view (never play our own microphone
 * back); remote tiles play audio, with `speakerId` choosing the output where the browser allows it.
 */
export function VideoTile({
  stream,
  label,
  muted = false,
  mirror = false,
  className = '',
  testId,
  speakerId,
}: {
  stream: MediaStream | undefined;
  label?: string;
  muted?: boolean;
  mirror?: boolean;
  className?: string;
  testId?: string;
  speakerId?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
    if (stream) void video.play().catch(() => undefined);
  }, [stream]);
  useEffect(() => {
    const video = ref.current as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (video?.setSinkId && speakerId) void video.setSinkId(speakerId).catch(() => undefined);
  }, [speakerId]);
  return (
    <div className={`vdx-video ${mirror ? 'mirror' : ''} ${className}`}>
      <video ref={ref} autoPlay playsInline muted={muted} data-testid={testId} aria-label={label} />
      {label ? <span className="vdx-video-label">{label}</span> : null}
    </div>
  );
}
