/** A horizontal level bar (0..1) with an accessible meter role. */
export function LevelMeter({ level, label }: { level: number; label: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, level)) * 100);
  return (
    <div className="vdx-meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="mic-level">
      <span style={{ width: `${percent}%` }} />
    </div>
  );
}
