/** What a form says after it was sent: a saved confirmation (a status) or why not (an alert). */
export type NoticeText = { ok: boolean; text: string };

/** The live region a control's outcome is announced in; empty until there is one. */
export function Notice({ notice }: { notice: NoticeText | undefined }) {
  return (
    <div aria-live="polite">
      {notice && (
        <p className={notice.ok ? 'notice ok' : 'notice error'} role={notice.ok ? 'status' : 'alert'}>
          {notice.text}
        </p>
      )}
    </div>
  );
}
