import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { ChatMessage } from './call-session';

/** Conference chat: the history (announced politely to screen readers) and a send box. */
export function ChatPanel({ messages, onSend }: { messages: ChatMessage[]; onSend(text: string): Promise<void> }) {
  const { t, language } = useI18n();
  const [text, setText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setText('');
    await onSend(value).catch(() => setText(value));
  };
  const time = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  return (
    <section className="call-panel-body call-chat" aria-label={t('call.chat')}>
      {messages.length === 0 ? <p className="vdx-hint">{t('call.chat.empty')}</p> : null}
      <ol ref={list} className="call-chat-list" aria-live="polite" data-testid="chat-messages">
        {messages.map((m) => (
          <li key={m.id} className={m.mine ? 'mine' : ''} data-testid="chat-message">
            <span className="meta">
              <span className="vdx-sr-only">{t('call.chat.from', { name: m.from })}</span>
              <strong aria-hidden="true">{m.from}</strong> <time>{time.format(m.at)}</time>
            </span>
            <span className="text">{m.text}</span>
          </li>
        ))}
      </ol>
      <form className="call-chat-form" onSubmit={(e) => void submit(e)}>
        <label className="vdx-sr-only" htmlFor="chat-input">
          {t('call.chat.placeholder')}
        </label>
        <input
          id="chat-input"
          className="vdx-input"
          value={text}
          maxLength={1000}
          placeholder={t('call.chat.placeholder')}
          onChange={(e) => setText(e.target.value)}
          data-testid="chat-input"
        />
        <button type="submit" className="vdx-button primary" data-testid="chat-send">
          {t('call.chat.send')}
        </button>
      </form>
    </section>
  );
}
