import { useEffect, useState } from 'react';

/** The current time, re-rendered every `intervalMs` (aligned to the next whole second). */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const align = setTimeout(() => {
      setNow(new Date());
      timer = setInterval(() => setNow(new Date()), intervalMs);
    }, 1000 - (Date.now() % 1000));
    return () => {
      clearTimeout(align);
      if (timer) clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
}
