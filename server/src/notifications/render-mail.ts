/** The shared frame of every dialtone mail: plain text and HTML saying the same, and a footer with the way out. */

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

export interface MailFooter {
  /** Why this person gets this mail, in one sentence. */
  reason: string
  /** Absent for mail nobody subscribed to (an invitation): no unsubscribe or preferences links then. */
  unsubscribeUrl?: string
  preferencesUrl?: string
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

export interface MailSection {
  heading: string
  lines: string[]
  link?: { label: string; url: string }
}

export function renderMail(input: { subject: string; intro: string; sections: MailSection[]; footer: MailFooter }) {
  const { subject, intro, sections, footer } = input
  const text = [
    intro,
    '',
    ...sections.flatMap((section) => [
      section.heading,
      ...section.lines.map((line) => `  ${line}`),
      ...(section.link ? [`  ${section.link.label}: ${section.link.url}`] : []),
      '',
    ]),
    '--',
    footer.reason,
    ...(footer.preferencesUrl ? [`Choose which mail you get: ${footer.preferencesUrl}`] : []),
    ...(footer.unsubscribeUrl ? [`Unsubscribe: ${footer.unsubscribeUrl}`] : []),
    '',
  ].join('\n')

  const sectionHtml = sections
    .map(
      (section) => `
    <tr><td style="padding:16px 0;border-top:1px solid #e5e7eb">
      <h2 style="margin:0 0 6px;font-size:17px;color:#111827">${escapeHtml(section.heading)}</h2>
      ${section.lines.map((line) => `<p style="margin:0 0 4px;color:#374151">${escapeHtml(line)}</p>`).join('\n      ')}
      ${section.link ? `<p style="margin:10px 0 0"><a href="${escapeHtml(section.link.url)}" style="color:#4f46e5;font-weight:600">${escapeHtml(section.link.label)}</a></p>` : ''}
    </td></tr>`,
    )
    .join('')
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f9fafb;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">
  <table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
    <tr><td style="padding-bottom:12px"><strong style="font-size:18px;color:#111827">dialtone</strong></td></tr>
    <tr><td style="padding-bottom:8px;color:#111827">${escapeHtml(intro)}</td></tr>${sectionHtml}
    <tr><td style="padding-top:16px;border-top:1px solid #e5e7eb;font-size:13px;color:#6b7280">
      ${escapeHtml(footer.reason)}${
        footer.preferencesUrl && footer.unsubscribeUrl
          ? `<br>
      <a href="${escapeHtml(footer.preferencesUrl)}" style="color:#6b7280">Choose which mail you get</a> ·
      <a href="${escapeHtml(footer.unsubscribeUrl)}" style="color:#6b7280">Unsubscribe</a>`
          : ''
      }
    </td></tr>
  </table>
</body></html>
`
  return { subject, text, html } satisfies RenderedMail
}
