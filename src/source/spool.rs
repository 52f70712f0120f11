//! A listing written to an anonymous temporary file and read back once. The ingest counts the
//! files in a first walk and reads them in a second; replaying the walk from a spool instead of
//! walking the folders again saves a directory walk over millions of files, and keeps memory
//! flat where holding the listing would not.

use super::SourceFile;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::ops::ControlFlow;
use std::time::{Duration, SystemTime};

pub struct Spool {
    out: BufWriter<File>,
    count: u64,
}

impl Spool {
    /// A spool in the OS temporary folder, deleted by the OS when closed (never on the snapshot).
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            out: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            count: 0,
        })
    }

    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn push(&mut self, f: &SourceFile) -> io::Result<()> {
        let w = &mut self.out;
        w.write_all(&(f.root as u64).to_le_bytes())?;
        w.write_all(&f.size.to_le_bytes())?;
        match f.modified.map(|m| m.duration_since(SystemTime::UNIX_EPOCH)) {
            None => w.write_all(&[0])?,
            Some(Ok(d)) => write_time(w, 1, d)?,
            Some(Err(before)) => write_time(w, 2, before.duration())?,
        }
        match f.zip_index {
            None => w.write_all(&[0])?,
            Some(i) => {
                w.write_all(&[1])?;
                w.write_all(&(i as u64).to_le_bytes())?;
            }
        }
        write_str(w, &f.path)?;
        match &f.unreadable {
            None => w.write_all(&[0])?,
            Some(reason) => {
                w.write_all(&[1])?;
                write_str(w, reason)?;
            }
        }
        match &f.raw {
            None => w.write_all(&[0])?,
            Some(raw) => {
                w.write_all(&[1])?;
                write_bytes(w, &super::names::raw_bytes(raw))?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Hands back every file pushed, in order, until `each` breaks. An error means the spool
    /// could not be read back past the files already handed out.
    pub fn replay(self, mut each: impl FnMut(SourceFile) -> ControlFlow<()>) -> io::Result<ControlFlow<()>> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut r = BufReader::with_capacity(1 << 20, file);
        for _ in 0..self.count {
            let root = read_u64(&mut r)? as usize;
            let size = read_u64(&mut r)?;
            let modified = match read_u8(&mut r)? {
                0 => None,
                1 => Some(SystemTime::UNIX_EPOCH + read_duration(&mut r)?),
                _ => Some(SystemTime::UNIX_EPOCH - read_duration(&mut r)?),
            };
            let zip_index = match read_u8(&mut r)? {
                0 => None,
                _ => Some(read_u64(&mut r)? as usize),
            };
            let path = read_str(&mut r)?;
            let unreadable = match read_u8(&mut r)? {
                0 => None,
                _ => Some(read_str(&mut r)?),
            };
            let raw = match read_u8(&mut r)? {
                0 => None,
                _ => Some(super::names::raw_from_bytes(read_bytes(&mut r)?)),
            };
            let f = SourceFile {
                root,
                path,
                size,
                modified,
                zip_index,
                unreadable,
                raw,
            };
            if each(f).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }
}

fn write_time(w: &mut impl Write, tag: u8, d: Duration) -> io::Result<()> {
    w.write_all(&[tag])?;
    w.write_all(&d.as_secs().to_le_bytes())?;
    w.write_all(&d.subsec_nanos().to_le_bytes())
}

fn write_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    write_bytes(w, s.as_bytes())
}

fn write_bytes(w: &mut impl Write, b: &[u8]) -> io::Result<()> {
    w.write_all(&(b.len() as u64).to_le_bytes())?;
    w.write_all(b)
}

fn read_u8(r: &mut impl Read) -> io::Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}

fn read_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_duration(r: &mut impl Read) -> io::Result<Duration> {
    let secs = read_u64(r)?;
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(Duration::new(secs, u32::from_le_bytes(b)))
}

fn read_str(r: &mut impl Read) -> io::Result<String> {
    String::from_utf8(read_bytes(r)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn read_bytes(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let len = read_u64(r)?;
    let mut buf = Vec::new();
    // We wrote this file, but a length is still not trusted with an allocation.
    r.take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_every_field_in_order() {
        let files = vec![
            SourceFile {
                root: 0,
                path: "000/123/1234567/-/ADT-00/名前_1".into(),
                size: 1234,
                modified: Some(SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 5)),
                zip_index: None,
                unreadable: None,
                raw: Some("000/\u{FFFD}/x".into()),
            },
            SourceFile {
                root: 3,
                path: "b/broken.zip".into(),
                size: 0,
                modified: Some(SystemTime::UNIX_EPOCH - Duration::new(86_400, 0)),
                zip_index: Some(7),
                unreadable: Some("unreadable zip archive".into()),
                raw: None,
            },
            SourceFile {
                root: 1,
                path: String::new(),
                size: u64::MAX,
                modified: None,
                zip_index: Some(0),
                unreadable: None,
                raw: None,
            },
        ];
        let mut spool = Spool::new().unwrap();
        for f in &files {
            spool.push(f).unwrap();
        }
        assert_eq!(spool.len(), 3);
        let mut back = Vec::new();
        let flow = spool
            .replay(|f| {
                back.push(f);
                ControlFlow::Continue(())
            })
            .unwrap();
        assert!(flow.is_continue());
        let key = |f: &SourceFile| {
            (
                f.root,
                f.path.clone(),
                f.size,
                f.modified,
                f.zip_index,
                f.unreadable.clone(),
                f.raw.clone(),
            )
        };
        assert_eq!(
            back.iter().map(key).collect::<Vec<_>>(),
            files.iter().map(key).collect::<Vec<_>>()
        );
    }

    #[test]
    fn stops_when_told() {
        let mut spool = Spool::new().unwrap();
        for i in 0..5 {
            let f = SourceFile {
                root: 0,
                path: format!("f{i}"),
                size: i,
                modified: None,
                zip_index: None,
                unreadable: None,
                raw: None,
            };
            spool.push(&f).unwrap();
        }
        let mut seen = 0;
        let flow = spool
            .replay(|_| {
                seen += 1;
                if seen == 2 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
        assert!(flow.is_break());
        assert_eq!(seen, 2);
    }
}
