//! Solid patient entries: one SS-MIX2 patient's files as one deflated entry of the archive.
//!
//! SS-MIX2 writes one small message per file (about 2 KB), and each repeats its MSH and PID
//! segments; deflating each file alone keeps about 0.38 of the bytes, deflating a patient's
//! files together about 0.11 (measured on a generated hospital: 200 patients, 15.0 MB). So a
//! patient's files are written as a zip of their own (entries stored, original relative paths)
//! inside one deflated entry of the part, `.lifeboat-solid/<patient folder>.zip`: still plain
//! zip throughout, so any zip tool gets the original tree back.
//!
//! A part with solid entries ends with `.lifeboat-solid/members.tsv`, the names and sizes of
//! the files inside each, so that listing a pack reads one small entry, not every patient.

use std::io::{self, Cursor, Read};
use std::sync::Arc;
use zip::ZipArchive;

/// Where solid entries and the member listing live inside a part. Source files are never
/// named so (`archive::write` packs a source that uses it file by file).
pub const SOLID_DIR: &str = ".lifeboat-solid/";
/// The member listing of a part.
pub const MEMBERS: &str = ".lifeboat-solid/members.tsv";
const HEADER: &str = "lifeboat-members 1";

/// A patient larger than this is packed file by file: a solid entry is held whole in memory
/// when written and read.
pub const MAX_SOLID_BYTES: u64 = 64 * 1024 * 1024;

/// The entry name of a patient's solid entry.
pub fn entry_name(patient_key: &str) -> String {
    format!("{SOLID_DIR}{patient_key}.zip")
}

/// The member listing of one part, as written.
#[derive(Default)]
pub struct Members {
    text: String,
}

impl Members {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Bytes the listing takes (an upper bound of what it adds to the part, deflated).
    pub fn len(&self) -> u64 {
        self.text.len() as u64 + HEADER.len() as u64 + 1
    }

    /// A solid entry and its files (name, size).
    pub fn add<'a>(&mut self, entry: &str, files: impl Iterator<Item = (&'a str, u64)>) {
        self.text.push('@');
        self.text.push_str(entry);
        self.text.push('\n');
        for (name, size) in files {
            self.text.push_str(name);
            self.text.push('\t');
            self.text.push_str(&size.to_string());
            self.text.push('\n');
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        format!("{HEADER}\n{}", self.text).into_bytes()
    }
}

/// One line of a member listing as read: a solid entry, and its files (name, size).
pub type Listed = (String, Vec<(String, u64)>);

/// Parses a member listing. Names are the media's, not ours: the caller keeps only those of
/// entries the part has; a malformed line fails the whole listing, naming its line.
pub fn parse(bytes: &[u8]) -> Result<Vec<Listed>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 at byte {}", e.valid_up_to()))?;
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, HEADER)) => {}
        other => return Err(format!("unknown listing header {:?}", other.map(|(_, l)| l))),
    }
    let mut out: Vec<Listed> = Vec::new();
    for (n, line) in lines {
        if let Some(entry) = line.strip_prefix('@') {
            out.push((entry.to_string(), Vec::new()));
            continue;
        }
        let bad = || format!("line {}: {:?}", n + 1, line.chars().take(80).collect::<String>());
        let (name, size) = line.rsplit_once('\t').ok_or_else(bad)?;
        let size: u64 = size.parse().map_err(|_| bad())?;
        let last = out.last_mut().ok_or_else(bad)?;
        last.1.push((name.to_string(), size));
    }
    Ok(out)
}

/// Builds a solid entry's content: a zip whose entries are `files` (name, bytes) stored.
pub fn build<'a>(files: impl Iterator<Item = (&'a str, Vec<u8>)>) -> io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(io::Error::other)?;
        io::Write::write_all(&mut zip, &bytes)?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}

/// An inflated solid entry, ready to read members from (cloning is cheap: the bytes and the
/// directory are shared).
pub type Opened = ZipArchive<Cursor<Arc<[u8]>>>;

/// Opens the inflated content of a solid entry.
pub fn open(content: Vec<u8>) -> io::Result<Opened> {
    ZipArchive::new(Cursor::new(Arc::<[u8]>::from(content))).map_err(io::Error::other)
}

/// Reads one member, at most `limit` bytes (the inner sizes come from the media too).
pub fn read_member(opened: &Opened, name: &str, limit: u64) -> io::Result<Vec<u8>> {
    let mut zip = opened.clone();
    let entry = zip
        .by_name(name)
        .map_err(|e| io::Error::other(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    entry.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::Error::other(format!("{name}: larger than {limit} bytes")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_round_trips_and_a_bad_line_is_named() {
        let mut m = Members::default();
        m.add(
            &entry_name("000/000/0000000001"),
            [("000/000/0000000001/a", 3u64), ("000/000/0000000001/b c", 0)].into_iter(),
        );
        let parsed = parse(&m.bytes()).expect("parses");
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].0, ".lifeboat-solid/000/000/0000000001.zip");
        assert_eq!(
            parsed[0].1,
            vec![
                ("000/000/0000000001/a".to_string(), 3),
                ("000/000/0000000001/b c".to_string(), 0)
            ]
        );
        let err = parse(b"lifeboat-members 1\n@x\nname-without-size\n").err();
        assert_eq!(err.as_deref(), Some("line 3: \"name-without-size\""));
        assert!(
            parse(b"lifeboat-members 1\norphan\t1\n").is_err(),
            "a file before any entry"
        );
        assert!(parse(b"something else\n").is_err());
    }

    #[test]
    fn members_are_read_back_and_bounded() {
        let content =
            build([("p/a.txt", b"alpha".to_vec()), ("p/b.txt", vec![7u8; 100])].into_iter()).expect("build");
        let opened = open(content).expect("open");
        assert_eq!(read_member(&opened, "p/a.txt", 1000).expect("a"), b"alpha");
        assert!(read_member(&opened, "p/b.txt", 99).is_err(), "over the limit");
        assert!(read_member(&opened, "p/none", 1000).is_err());
    }
}
