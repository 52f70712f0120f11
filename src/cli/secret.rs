//! Passphrases for the CLI: from a file (`--passphrase-file`, for the nightly job on the
//! packing server) or typed at the terminal without echo. Never from the command line or the
//! environment, where other users and logs can see them.

use anyhow::Context;
use std::path::Path;

/// The first line of `file`, or what the operator types after `prompt`.
pub fn passphrase(file: Option<&Path>, prompt: &str) -> anyhow::Result<String> {
    let text = match file {
        Some(f) => std::fs::read_to_string(f)
            .with_context(|| format!("{}: cannot read the passphrase file", f.display()))?,
        None => rpassword::prompt_password(prompt)
            .context("cannot read a passphrase from the terminal (use --passphrase-file)")?,
    };
    let line = text.lines().next().unwrap_or("").to_string();
    anyhow::ensure!(!line.is_empty(), "the passphrase is empty");
    Ok(line)
}
