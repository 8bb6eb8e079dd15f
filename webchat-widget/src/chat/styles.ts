// Panel styles. Everything lives in the shadow root, so the store's CSS cannot reach it; the root
// sets every inherited property explicitly so nothing leaks in through the host either.
export const CHAT_CSS = `
.k-panel{position:fixed;bottom:92px;inset-inline-end:20px;width:370px;height:min(640px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;color:#111827;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;z-index:3;font:inherit;text-align:start}
.k-panel[hidden]{display:none}
.k-panel button,.k-panel textarea,.k-panel a{font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
.k-panel :focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.k-head{display:flex;align-items:center;gap:10px;padding:14px 16px;background:var(--k-accent);color:var(--k-on-accent)}
.k-head-t{flex:1;min-width:0}
.k-head-t strong{display:block;font-size:16px;font-weight:700;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.k-head-t span{display:block;font-size:12.5px;opacity:.92}
.k-ava{flex:0 0 32px;height:32px;border-radius:50%;background:rgba(127,127,127,.3);display:flex;align-items:center;justify-content:center;font-weight:700}
.k-x{all:unset;cursor:pointer;width:32px;height:32px;border-radius:8px;display:flex;align-items:center;justify-content:center;font-size:22px;line-height:1}
.k-x:hover{background:rgba(127,127,127,.2)}
.k-x:focus-visible{outline:2px solid currentColor}
.k-banner{padding:6px 12px;background:#fef3c7;color:#78350f;font-size:13px;text-align:center}
.k-banner[hidden]{display:none}
.k-log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:8px;background:#f3f4f6;overscroll-behavior:contain}
.k-row{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}
.k-row.k-shopper{align-items:flex-end}
.k-row.k-system{align-items:center}
.k-who{font-size:11.5px;color:#4b5563;margin:0 6px 2px}
.k-bubble{max-width:85%;padding:8px 12px;border-radius:14px;background:#fff;color:#111827;white-space:pre-wrap;overflow-wrap:anywhere;box-shadow:0 1px 1px rgba(0,0,0,.06);font-size:14px;line-height:1.45}
.k-shopper .k-bubble{background:var(--k-accent);color:var(--k-on-accent)}
.k-shopper .k-bubble a{color:inherit}
.k-system .k-bubble{background:transparent;box-shadow:none;color:#4b5563;font-size:12.5px;text-align:center}
.k-bubble a{color:#1d4ed8;text-decoration:underline}
.k-cut{opacity:.6;font-weight:600}.k-caret{display:inline-block;width:2px;height:1em;margin-inline-start:2px;vertical-align:text-bottom;background:currentColor;animation:k-blink 1s steps(1) infinite}
@keyframes k-blink{50%{opacity:0}}
.k-meta{font-size:11px;color:#6b7280;margin:2px 6px 0;display:flex;gap:6px;align-items:center}
.k-meta button{all:unset;cursor:pointer;color:#b91c1c;text-decoration:underline}
.k-cards{display:flex;gap:8px;overflow-x:auto;max-width:100%;padding:6px 2px 4px;scroll-snap-type:x mandatory}
.k-card{flex:0 0 150px;scroll-snap-align:start;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.12);display:flex;flex-direction:column}
.k-card img{width:150px;height:110px;object-fit:cover;background:#e5e7eb;display:block}
.k-card-b{padding:8px;display:flex;flex-direction:column;gap:4px;flex:1}
.k-card-n{font-size:13px;font-weight:600;line-height:1.3;max-height:2.6em;overflow:hidden}
.k-price{font-size:13.5px;font-weight:700;color:#111827}
.k-oos{font-size:11.5px;color:#b91c1c}
.k-card-a{display:flex;gap:6px;margin-top:auto}
.k-btn{all:unset;cursor:pointer;flex:1;text-align:center;padding:5px 6px;border-radius:8px;font-size:12.5px;font-weight:600;border:1px solid #d1d5db;color:#111827;background:#fff}
.k-btn.k-pri{background:var(--k-accent);color:var(--k-on-accent);border-color:transparent}
.k-btn[disabled]{opacity:.5;cursor:not-allowed}
.k-btn:focus-visible,.k-qr button:focus-visible{outline:2px solid #2563eb;outline-offset:1px}
.k-qr{display:flex;gap:6px;padding:6px 12px 4px;background:#f3f4f6;overflow-x:auto;scrollbar-width:thin}
.k-qr[hidden]{display:none}
.k-qr button{all:unset;flex:0 0 auto;white-space:nowrap;cursor:pointer;padding:6px 12px;border-radius:999px;border:1px solid var(--k-accent);color:#111827;background:#fff;font-size:13px}
.k-box{background:#fff;border-radius:12px;padding:8px 12px;font-size:13px;max-width:85%;box-shadow:0 1px 1px rgba(0,0,0,.06)}
.k-box table{border-collapse:collapse;width:100%}
.k-box td{padding:2px 0}
.k-box td:last-child{text-align:end;padding-inline-start:10px;white-space:nowrap}
.k-order{display:flex;flex-direction:column;gap:4px;min-width:60%}
.k-order-n{white-space:nowrap}
.k-order-l{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px}
.k-order-s{padding:1px 8px;border-radius:999px;background:rgba(127,127,127,.14);font-size:12px}
.k-order-total{white-space:nowrap;font-weight:600}
.k-typing{padding:2px 16px 6px;font-size:12px;color:#4b5563;background:#f3f4f6;min-height:0}
.k-typing[hidden]{display:none}
.k-dots{display:inline-flex;gap:3px;margin-inline-end:6px}
.k-dots i{width:5px;height:5px;border-radius:50%;background:#6b7280;animation:k-bounce 1.2s infinite}
.k-dots i:nth-child(2){animation-delay:.2s}.k-dots i:nth-child(3){animation-delay:.4s}
@keyframes k-bounce{0%,80%,100%{opacity:.3}40%{opacity:1}}
.k-compose{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #e5e7eb;background:#fff}
.k-compose textarea{flex:1;resize:none;border:1px solid #d1d5db;border-radius:10px;padding:8px 10px;min-height:40px;max-height:120px;font-size:14px;line-height:1.4;background:#fff;color:#111827;outline:none;text-align:start}
.k-compose textarea:focus{border-color:var(--k-accent);box-shadow:0 0 0 2px rgba(37,99,235,.35)}
.k-send{all:unset;cursor:pointer;width:40px;height:40px;border-radius:10px;background:var(--k-accent);color:var(--k-on-accent);display:flex;align-items:center;justify-content:center}
.k-send svg{width:20px;height:20px;fill:currentColor}
[dir=rtl] .k-send svg{transform:scaleX(-1)}
.k-foot{display:flex;justify-content:center;padding:0 12px 8px;background:#fff}
.k-human{all:unset;cursor:pointer;font-size:12.5px;color:#374151;text-decoration:underline;padding:2px 6px}
.k-human[hidden]{display:none}
.k-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){
.k-panel{inset:0;width:100%;height:100%;border-radius:0}
.k-open .k-launch{display:none}
}
.k-attach{all:unset;cursor:pointer;flex:0 0 36px;height:36px;display:flex;align-items:center;justify-content:center;border-radius:8px;color:#4b5563}
.k-attach svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:1.8}
.k-attach:disabled{opacity:.4;cursor:default}
.k-tray{display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px 0;background:#fff}
.k-tray[hidden]{display:none}
.k-chip,.k-file{display:inline-flex;align-items:center;gap:6px;max-width:100%;padding:4px 8px;border:1px solid #d1d5db;border-radius:10px;background:#fff;font-size:12.5px}
.k-file{cursor:pointer}
.k-chip img{width:32px;height:32px;object-fit:cover;border-radius:6px}
.k-chip[data-state=failed]{border-color:#dc2626}
.k-chip-n{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:150px}
.k-chip-s{color:#6b7280}
.k-chip[data-state=failed] .k-chip-s{color:#b91c1c}
.k-chip-r,.k-chip-x{all:unset;cursor:pointer;color:#2563eb}
.k-chip-x{color:#6b7280;font-size:16px;line-height:1}
.k-thumb{all:unset;cursor:zoom-in;display:block;border-radius:12px;overflow:hidden;border:1px solid #e5e7eb;background:#fff}
.k-thumb img{display:block;max-width:220px;max-height:220px;width:auto;height:auto}
.k-lb{position:absolute;inset:0;background:rgba(0,0,0,.85);display:flex;align-items:center;justify-content:center;z-index:5}
.k-lb[hidden]{display:none}
.k-lb img{max-width:95%;max-height:90%}
.k-lb-x{all:unset;cursor:pointer;position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;display:flex;align-items:center;justify-content:center;font-size:26px;line-height:1;color:#fff}
.k-panel.k-drop{outline:3px dashed var(--k-accent);outline-offset:-6px}
`;
