//! Writing command output: text that is safe on a terminal, and a reader that stops early
//! (`lifeboat show ID | head -1`) ends the command quietly instead of a panic.
//!
//! Patient data and file names come from untrusted media. In every text output, characters
//! that a terminal acts on instead of showing are replaced by their Rust escape, `\u{1b}`:
//! C0 controls except line feed and tab (ESC starts CSI/OSC sequences, BEL rings, BS and CR
//! overwrite what was shown), DEL, C1 controls U+0080–U+009F (U+009B is a one-byte CSI), and
//! the bidirectional overrides, embeddings, isolates and marks (U+061C, U+200E, U+200F,
//! U+202A–U+202E, U+2066–U+2069) that make a line read differently from its bytes. The
//! `\u{..}` form is chosen over symbols such as `␛` because it is ASCII, names the exact code
//! point, and works for every character in the list, not only C0.
//!
//! JSON output is not escaped here: serde_json escapes every C0 control (`\u001b`), and the
//! bidi characters stay, since JSON is read by programs, which must get the data as stored.

use std::borrow::Cow;
use std::io::{self, Write};

/// True for a character that must not reach a terminal as is.
pub fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `text` with every unsafe character written as `\u{hex}`; borrowed when nothing changes.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes text output, made terminal-safe, to `w` and flushes it.
pub fn write_text(w: &mut impl Write, text: &str) -> io::Result<()> {
    w.write_all(terminal_safe(text).as_bytes())?;
    w.flush()
}

/// Writes text output to stdout (locked once, so the chart is not interleaved).
pub fn text(text: &str) -> io::Result<()> {
    write_text(&mut io::stdout().lock(), text)
}

/// Writes JSON output to stdout, with a final newline; serde escapes controls itself.
pub fn json(value: &impl serde::Serialize) -> io::Result<()> {
    let mut w = io::stdout().lock();
    serde_json::to_writer_pretty(&mut w, value).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// True when an error only says that whoever read the output has gone away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                .is_some_and(|k| k == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_terminal_control_and_keeps_text() {
        let hostile = "山田\u{1b}[2J\u{7}太郎\u{8}\r\u{9b}31m\u{202e}abc\u{2066}\u{7f}";
        assert_eq!(
            terminal_safe(hostile),
            "山田\\u{1b}[2J\\u{7}太郎\\u{8}\\u{d}\\u{9b}31m\\u{202e}abc\\u{2066}\\u{7f}"
        );
        assert_eq!(terminal_safe("患者 太郎\n\t続き"), "患者 太郎\n\t続き");
        assert!(matches!(terminal_safe("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_boundaries_of_each_range() {
        for c in [
            '\u{0}', '\u{1f}', '\u{80}', '\u{9f}', '\u{202a}', '\u{2069}', '\u{61c}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in [' ', '~', '\u{a0}', '\u{2029}', '\u{206a}', '\u{2065}', 'ア'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn a_closed_pipe_is_recognised_through_context() {
        let e = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe)).context("writing");
        assert!(is_broken_pipe(&e));
        let e = anyhow::Error::from(io::Error::from(io::ErrorKind::NotFound));
        assert!(!is_broken_pipe(&e));
    }
}
