"""Every file canvas-tui reads or keeps other than the canvas's TOML: bounded reads and atomic writes
(one function each, no symbolic link followed where the user did not name the file), the nesting
guard, the lock, recovery files, places, settings, and the bundled data folders. No Textual here."""
