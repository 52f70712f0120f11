//! SS-MIX2 paths, file names and condition flags for one patient's files.

use super::ts::{Dt, d8, millis_delta, t15, t17};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::Path;

/// Order number used in file names of ADT / PPR messages.
pub const NO_ORDER: &str = "999999999999999";

/// Condition flags (ssmix2.md §1.3).
pub const DELETED: u8 = 0;
pub const CURRENT: u8 = 1;
pub const HISTORY: u8 = 2;

/// The storage key: at most one `_1` file exists per key.
pub struct Key<'a> {
    pub date: Option<NaiveDate>,
    pub dtype: &'a str,
    pub order: &'a str,
}

pub struct FileOut {
    /// Directory relative to the storage root.
    pub dir: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// All files of one patient, built in memory and then written in one go.
pub struct PatientFiles {
    pub id: String,
    base: String,
    pub files: Vec<FileOut>,
    names: HashSet<String>,
    /// Use the 15-digit 発生日時 quirk for these data types.
    pub ts15_types: &'static [&'static str],
}

/// `<ID[0:3]>/<ID[3:6]>/<ID>`
pub fn patient_dir(id: &str) -> String {
    let a = id.get(0..3).unwrap_or(id);
    let b = id.get(3..6).unwrap_or("");
    format!("{a}/{b}/{id}")
}

impl PatientFiles {
    pub fn new(id: &str) -> PatientFiles {
        PatientFiles {
            id: id.to_string(),
            base: patient_dir(id),
            files: Vec::with_capacity(64),
            names: HashSet::with_capacity(64),
            ts15_types: &[],
        }
    }

    /// Add one file; bumps 発生日時 by a millisecond if the name is taken.
    pub fn add(&mut self, key: &Key, sent: Dt, dept: &str, flag: u8, bytes: Vec<u8>) {
        let date = key.date.map(d8);
        let date = date.as_deref().unwrap_or("-");
        let dept = if dept.is_empty() { "-" } else { dept };
        let ts15 = self.ts15_types.contains(&key.dtype);
        let mut t = sent;
        let name = loop {
            let stamp = if ts15 { t15(t) } else { t17(t) };
            let name = format!(
                "{}_{}_{}_{}_{}_{}_{}",
                self.id, date, key.dtype, key.order, stamp, dept, flag
            );
            if !self.names.contains(&name) {
                break name;
            }
            t += millis_delta(1);
        };
        self.names.insert(name.clone());
        self.files.push(FileOut {
            dir: format!("{}/{}/{}", self.base, date, key.dtype),
            name,
            bytes,
        });
    }

    /// Add the versions of one key in time order, applying the flag life cycle:
    /// last version `1`, older `2`; if `deleted`, every version (the last one
    /// being the delete message) gets `0`.
    pub fn add_versions(&mut self, key: &Key, dept: &str, versions: Vec<(Dt, Vec<u8>)>, deleted: bool) {
        let n = versions.len();
        for (i, (sent, bytes)) in versions.into_iter().enumerate() {
            let flag = if deleted {
                DELETED
            } else if i + 1 == n {
                CURRENT
            } else {
                HISTORY
            };
            self.add(key, sent, dept, flag, bytes);
        }
    }

    /// Add a file at a path of its own (extended storage content folders), outside the
    /// standard `base/date/type` layout.
    pub fn add_file(&mut self, dir: String, name: String, bytes: Vec<u8>) {
        self.files.push(FileOut { dir, name, bytes });
    }

    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes.len() as u64).sum()
    }

    /// Write everything below `root`, creating each directory once.
    pub fn write(&self, root: &Path) -> io::Result<()> {
        let dirs: BTreeSet<&str> = self.files.iter().map(|f| f.dir.as_str()).collect();
        let base = root.join(&self.base);
        std::fs::create_dir_all(&base)?;
        let mut made: HashSet<&str> = HashSet::new();
        for d in &dirs {
            if !d.starts_with(&self.base) {
                std::fs::create_dir_all(root.join(d))?;
                continue;
            }
            // d = base/date/type: create date folder once, then type folder.
            if let Some((parent, _)) = d.rsplit_once('/')
                && made.insert(parent)
            {
                mkdir(&root.join(parent))?;
            }
            mkdir(&root.join(d))?;
        }
        for f in &self.files {
            std::fs::write(root.join(&f.dir).join(&f.name), &f.bytes)?;
        }
        Ok(())
    }
}

fn mkdir(p: &Path) -> io::Result<()> {
    match std::fs::create_dir(p) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        r => r,
    }
}

/// Split a file name into its 7 fields.
#[cfg(test)]
pub fn split_name(name: &str) -> Option<[&str; 7]> {
    let parts: Vec<&str> = name.split('_').collect();
    if parts.len() != 7 {
        return None;
    }
    let mut out = [""; 7];
    out.copy_from_slice(&parts);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::ts::at;
    use super::*;

    #[test]
    fn names_and_flags() {
        let mut p = PatientFiles::new("0000012345");
        let d = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap_or_default();
        let k = Key {
            date: Some(d),
            dtype: "OMP-01",
            order: "000000012345001",
        };
        let t = at(d, 10, 0);
        p.add_versions(&k, "01", vec![(t, vec![1]), (t, vec![2])], false);
        assert_eq!(p.files[0].dir, "000/001/0000012345/20260304/OMP-01");
        assert!(p.files[0].name.ends_with("_01_2"));
        assert!(p.files[1].name.ends_with("_01_1"));
        let f = split_name(&p.files[1].name).unwrap_or([""; 7]);
        assert_eq!(f[3], "000000012345001");
        assert_eq!(f[4].len(), 17);
    }
}
