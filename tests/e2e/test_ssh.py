"""End-to-end over a real SSH session: OpenSSH's sshd on 127.0.0.1, `ssh -tt`, the installed canvas-tui.

This is how the tool is meant to be used: over SSH, keyboard only. A throwaway sshd (host key,
authorised key and config in a temp folder, a free port on 127.0.0.1) runs for the test; the client
connects through the pty harness, so keys and screen travel through ssh's own pseudo-terminal on the
far side, with the window size, TERM and bytes as a real session carries them. The test types into
a block, saves with ctrl+s, quits, and checks the file.

It skips, saying why, where OpenSSH is not installed (`apt-get install openssh-server
openssh-client`); `.ci/run` installs it, so CI always runs it.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_Q, CTRL_S, HOME, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
SENTENCE = "Typed through sshd and ssh -tt."


def _find(name: str, *extra: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    return next((path for path in extra if os.access(path, os.X_OK)), None)


SSHD = _find("sshd", "/usr/sbin/sshd", "/usr/local/sbin/sshd")
SSH = _find("ssh")
SSH_KEYGEN = _find("ssh-keygen")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _keygen(path: Path) -> None:
    assert SSH_KEYGEN is not None
    subprocess.run(
        [SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "canvas-tui-test", "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A private sshd on 127.0.0.1 that lets this user in with a throwaway key: (port, client key)."""
    if SSHD is None:
        pytest.skip("OpenSSH's sshd is not installed (apt-get install openssh-server)")
    if SSH is None or SSH_KEYGEN is None:
        pytest.skip("OpenSSH's ssh client is not installed (apt-get install openssh-client)")
    folder = tmp_path / "sshd"
    folder.mkdir()
    host_key, client_key = folder / "host_key", folder / "client_key"
    _keygen(host_key)
    _keygen(client_key)
    authorized = folder / "authorized_keys"
    shutil.copyfile(client_key.with_suffix(".pub"), authorized)
    authorized.chmod(0o600)
    user = getpass.getuser()
    if os.geteuid() == 0:
        # sshd running as root insists on its privilege separation folder (Debian makes it at boot).
        Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {host_key}",
                f"PidFile {folder / 'sshd.pid'}",
                f"AuthorizedKeysFile {authorized}",
                f"AllowUsers {user}",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "PrintLastLog no",
                "LogLevel ERROR",
                "",
            ]
        ),
        encoding="utf-8",
    )
    log = folder / "sshd.log"
    # -D: stay in the foreground (so we own the process), -e: log to stderr (our log file).
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            if server.poll() is not None:
                pytest.fail(f"sshd exited with {server.returncode}:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"sshd did not listen on port {port}:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield port, client_key
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def ssh_command(port: int, key: Path, *remote: str | Path) -> list[str]:
    assert SSH is not None
    return [
        SSH,
        "-tt",  # a pty on the far side even though ours is the harness's
        "-F",
        "/dev/null",  # no user config, known hosts or agent: only the throwaway key
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        "LogLevel=ERROR",
        "-i",
        str(key),
        "-p",
        str(port),
        f"{getpass.getuser()}@127.0.0.1",
        *(str(part) for part in remote),
    ]


def test_type_save_and_quit_over_ssh(sshd: tuple[int, Path], tmp_path: Path) -> None:
    port, key = sshd
    canvas = Path(shutil.copyfile(EXAMPLE, tmp_path / "canvas.toml"))
    with canvas.open("rb") as file:
        original = tomllib.load(file)["blocks"]["background"]["text"]

    # sshd gives the command a fresh, minimal environment: TERM is set on the command line.
    argv = ssh_command(port, key, "env", "TERM=xterm-256color", CANVAS_TUI, "--no-autosave", canvas)
    with Terminal(argv, columns=120, lines=40) as term:
        term.wait_for("resolved", timeout=30)
        term.send(HOME)  # the cursor starts on the first unresolved block
        term.send("e")
        term.wait_for("block 1/15")  # the editor is mounted: keys now reach the text
        term.send(SENTENCE)
        term.wait_for(SENTENCE)
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.send(CTRL_Q)
        assert term.wait_exit(timeout=30) == 0, term.dump()

    with canvas.open("rb") as file:
        text = tomllib.load(file)["blocks"]["background"]["text"]
    assert text.startswith(original.rstrip("\n"))
    assert SENTENCE in text
