//! A program run as on a laptop of its own: HOME, the config folder (trusted keys) and the data
//! folder (local indexes) under `home`, no terminal on stdin (so no passphrase prompt).

use std::path::Path;
use std::process::{Command, Output};

pub fn run_in(home: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        // Every look at patient data names an operator; the log lands in the data folder above.
        .env("LIFEBOAT_OPERATOR", "テスト 花子/T0002/看護師")
        .env_remove("LIFEBOAT_AUDIT_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

/// `lifeboat ARGS...` on the laptop at `home`.
#[allow(dead_code)]
pub fn lifeboat(home: &Path, args: &[&str]) -> Output {
    run_in(home, env!("CARGO_BIN_EXE_lifeboat"), args)
}

/// stdout then stderr, for assertions and their messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A temp path as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}
