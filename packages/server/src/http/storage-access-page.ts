/**
 * The popup of the `storage: 'require'` flow: a page on the platform's own site where the user clicks
 * once (Safari grants storage access only to sites the user interacted with first-party), then closes.
 */
export const STORAGE_ACCESS_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Allow embedded use</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,sans-serif;color:#0f172a}
main{max-width:24rem;padding:24px}button{font:inherit;padding:8px 18px;border:0;border-radius:8px;background:#2563eb;color:#fff;cursor:pointer}</style>
<main><h1>Allow this site in embedded apps</h1><p>Click below, then go back to the page you came from and choose “Try again”.</p>
<button type="button" id="allow">Allow and close</button></main>
<script>document.getElementById('allow').onclick=function(){document.cookie='sso_embed_visited=1; Path=/; Secure; SameSite=Lax; Max-Age=31536000';window.close()}</script></html>`
