"""The browser mode: `server` runs textual-serve (aiohttp) hardened, `tab` starts one editor per
browser tab and ends it with the server. Kept apart so a tab never imports the web server."""
