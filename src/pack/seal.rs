//! How pack files (archive parts, index) are written and read: plain, or encrypted. The pack
//! writer and reader only see these traits, so encryption (age, `crypt.rs`) plugs in without
//! either knowing it. Readers must seek: a patient is one short read at an offset.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use std::sync::Arc;

/// A reader that can seek, as the zip reader needs.
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// A file being written; `finish` writes what is buffered and the format's last chunk.
pub trait SealWrite: Write + Send {
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// One way of storing pack files.
pub trait Seal: Send + Sync {
    /// `None` for plain files, else the manifest's `encryption` value (`"age-passphrase"`).
    fn name(&self) -> Option<&'static str>;
    /// Appended to file names written this way (`""`, `".age"`).
    fn suffix(&self) -> &'static str;
    fn writer(&self, file: File) -> io::Result<Box<dyn SealWrite>>;
    /// The plaintext of `inner` (the bytes as stored).
    fn over(&self, inner: Box<dyn ReadSeek>) -> io::Result<Box<dyn ReadSeek>>;
    /// Opens a pack file for reading; a checking seal ([`super::verify::Checked`]) checks its
    /// blocks against the manifest on the way.
    fn open(&self, path: &Path) -> io::Result<Box<dyn ReadSeek>> {
        self.over(Box::new(BufReader::with_capacity(64 << 10, File::open(path)?)))
    }
}

pub type SharedSeal = Arc<dyn Seal>;

/// Files as they are.
pub struct Plain;

struct PlainWrite(BufWriter<File>);

impl Write for PlainWrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl SealWrite for PlainWrite {
    fn finish(self: Box<Self>) -> io::Result<()> {
        let file = self.0.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

impl Seal for Plain {
    fn name(&self) -> Option<&'static str> {
        None
    }
    fn suffix(&self) -> &'static str {
        ""
    }
    fn writer(&self, file: File) -> io::Result<Box<dyn SealWrite>> {
        Ok(Box::new(PlainWrite(BufWriter::with_capacity(1 << 20, file))))
    }
    fn over(&self, inner: Box<dyn ReadSeek>) -> io::Result<Box<dyn ReadSeek>> {
        Ok(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::SeekFrom;

    #[test]
    fn plain_round_trip_with_seek() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.bin");
        let mut w = Plain
            .writer(File::create(&path).expect("create"))
            .expect("writer");
        w.write_all(b"0123456789").expect("write");
        w.finish().expect("finish");
        let mut r = Plain.open(&path).expect("reader");
        r.seek(SeekFrom::Start(6)).expect("seek");
        let mut s = String::new();
        r.read_to_string(&mut s).expect("read");
        assert_eq!(s, "6789");
    }
}
