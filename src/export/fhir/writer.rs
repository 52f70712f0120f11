//! Streaming writers for the two layouts. Each resource is serialized straight into a
//! buffered file; nothing of other patients is held.

use super::ctx::Resource;
use super::ids;
use super::layout::{self, Layout};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub enum Writer {
    Ndjson(NdjsonWriter),
    Bundles(BundleWriter),
}

impl Writer {
    pub fn new(layout: Layout, dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(match layout {
            Layout::Ndjson => Writer::Ndjson(NdjsonWriter::new(dir, layout::NDJSON_LINES_PER_FILE)),
            Layout::Bundles => Writer::Bundles(BundleWriter {
                dir: dir.to_path_buf(),
                pending: None,
                open: None,
                files: Vec::new(),
            }),
        })
    }

    /// Starts a patient (`part` 1, or later parts of one written before).
    pub fn begin_patient(&mut self, patient_resource_id: &str, part: u32) -> Result<()> {
        match self {
            Writer::Ndjson(_) => Ok(()),
            Writer::Bundles(b) => b.begin(patient_resource_id, part),
        }
    }

    pub fn write(&mut self, r: &Resource) -> Result<()> {
        match self {
            Writer::Ndjson(n) => n.write(r),
            Writer::Bundles(b) => b.write(r),
        }
    }

    pub fn end_patient(&mut self) -> Result<()> {
        match self {
            Writer::Ndjson(_) => Ok(()),
            Writer::Bundles(b) => b.end(),
        }
    }

    /// Flushes everything; returns the files written with their sizes.
    pub fn finish(self) -> Result<Vec<(PathBuf, u64)>> {
        let files = match self {
            Writer::Ndjson(n) => n.finish()?,
            Writer::Bundles(mut b) => {
                b.end()?;
                b.files
            }
        };
        files
            .into_iter()
            .map(|p| {
                let size = std::fs::metadata(&p)
                    .with_context(|| format!("reading the size of {}", p.display()))?
                    .len();
                Ok((p, size))
            })
            .collect()
    }
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(64 * 1024, f))
}

/// One open NDJSON part of one resource type.
struct Part {
    number: u32,
    lines: u64,
    path: PathBuf,
    out: BufWriter<File>,
}

pub struct NdjsonWriter {
    dir: PathBuf,
    lines_per_file: u64,
    open: BTreeMap<&'static str, Part>,
    files: Vec<PathBuf>,
}

impl NdjsonWriter {
    pub fn new(dir: &Path, lines_per_file: u64) -> Self {
        NdjsonWriter {
            dir: dir.to_path_buf(),
            lines_per_file: lines_per_file.max(1),
            open: BTreeMap::new(),
            files: Vec::new(),
        }
    }

    fn open_part(&mut self, resource_type: &'static str, number: u32) -> Result<Part> {
        let path = self.dir.join(layout::ndjson_name(resource_type, number));
        let out = create(&path)?;
        self.files.push(path.clone());
        Ok(Part {
            number,
            lines: 0,
            path,
            out,
        })
    }

    pub fn write(&mut self, r: &Resource) -> Result<()> {
        let full = self
            .open
            .get(r.resource_type)
            .map(|p| (p.lines >= self.lines_per_file, p.number));
        match full {
            None => {
                let part = self.open_part(r.resource_type, 0)?;
                self.open.insert(r.resource_type, part);
            }
            Some((true, number)) => {
                let next = self.open_part(r.resource_type, number + 1)?;
                if let Some(mut done) = self.open.insert(r.resource_type, next) {
                    done.out
                        .flush()
                        .with_context(|| format!("writing {}", done.path.display()))?;
                }
            }
            Some((false, _)) => {}
        }
        let Some(part) = self.open.get_mut(r.resource_type) else {
            anyhow::bail!("internal error: no open file for {}", r.resource_type);
        };
        serde_json::to_writer(&mut part.out, &r.json)
            .map_err(anyhow::Error::from)
            .and_then(|()| Ok(part.out.write_all(b"\n")?))
            .with_context(|| format!("writing {}/{} to {}", r.resource_type, r.id, part.path.display()))?;
        part.lines += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<PathBuf>> {
        for (_, mut p) in std::mem::take(&mut self.open) {
            p.out
                .flush()
                .with_context(|| format!("writing {}", p.path.display()))?;
        }
        Ok(self.files)
    }
}

pub struct BundleWriter {
    dir: PathBuf,
    /// The Bundle started for the current patient: file name and Bundle id. The file is
    /// created with the first entry, so that a part with nothing to write leaves no file
    /// (FHIR JSON allows no empty `entry` array).
    pending: Option<(PathBuf, String)>,
    /// The Bundle being written.
    open: Option<(BufWriter<File>, PathBuf)>,
    files: Vec<PathBuf>,
}

impl BundleWriter {
    fn begin(&mut self, patient_resource_id: &str, part: u32) -> Result<()> {
        self.end()?;
        let path = self.dir.join(layout::bundle_name(patient_resource_id, part));
        let id = if part <= 1 {
            patient_resource_id.to_string()
        } else {
            format!("{patient_resource_id}-{part}")
        };
        self.pending = Some((path, id));
        Ok(())
    }

    fn write(&mut self, r: &Resource) -> Result<()> {
        let first = self.open.is_none();
        if first {
            let Some((path, id)) = self.pending.take() else {
                anyhow::bail!(
                    "internal error: {}/{} written outside a patient Bundle",
                    r.resource_type,
                    r.id
                );
            };
            let mut out = create(&path)?;
            let head = serde_json::json!({"resourceType": "Bundle", "id": id, "type": "collection"});
            // The head without its closing brace, then the entries as they come.
            let head = head.to_string();
            let head = head.strip_suffix('}').unwrap_or(&head);
            write!(out, "{head},\"entry\":[").with_context(|| format!("writing {}", path.display()))?;
            self.files.push(path.clone());
            self.open = Some((out, path));
        }
        let Some((out, path)) = self.open.as_mut() else {
            anyhow::bail!("internal error: no open Bundle for {}/{}", r.resource_type, r.id);
        };
        let full_url = format!("urn:uuid:{}", ids::uuid(r.resource_type, &r.id));
        let sep = if first { "" } else { "," };
        write!(out, "{sep}{{\"fullUrl\":\"{full_url}\",\"resource\":")
            .map_err(anyhow::Error::from)
            .and_then(|()| Ok(serde_json::to_writer(&mut *out, &r.json)?))
            .and_then(|()| Ok(out.write_all(b"}")?))
            .with_context(|| format!("writing {}/{} to {}", r.resource_type, r.id, path.display()))?;
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        self.pending = None;
        if let Some((mut out, path)) = self.open.take() {
            out.write_all(b"]}\n")
                .and_then(|()| out.flush())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(t: &'static str, n: u32) -> Resource {
        Resource {
            resource_type: t,
            id: format!("r{n}"),
            json: json!({"resourceType": t, "id": format!("r{n}")}),
        }
    }

    #[test]
    fn ndjson_parts_rotate_and_bundles_stream() {
        let Ok(tmp) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let mut w = Writer::Ndjson(NdjsonWriter::new(tmp.path(), 2));
        for n in 0..5 {
            if let Err(e) = w.write(&res("Observation", n)) {
                panic!("{e:#}");
            }
        }
        if let Err(e) = w.write(&res("Patient", 9)) {
            panic!("{e:#}");
        }
        let files = w.finish().unwrap_or_default();
        let names: Vec<String> = files
            .iter()
            .filter_map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            names,
            [
                "Observation.000.ndjson",
                "Observation.001.ndjson",
                "Observation.002.ndjson",
                "Patient.000.ndjson"
            ]
        );
        let last = std::fs::read_to_string(tmp.path().join("Observation.002.ndjson")).unwrap_or_default();
        assert_eq!(last, "{\"resourceType\":\"Observation\",\"id\":\"r4\"}\n");

        let dir = tmp.path().join("b");
        let Ok(mut w) = Writer::new(Layout::Bundles, &dir) else {
            panic!("bundle writer")
        };
        let steps = [
            w.begin_patient("P1", 1),
            w.write(&res("Patient", 1)),
            w.write(&res("Condition", 2)),
            w.end_patient(),
            w.begin_patient("P1", 2),
            w.end_patient(),
        ];
        assert!(steps.iter().all(Result::is_ok));
        let files = w.finish().unwrap_or_default();
        assert_eq!(files.len(), 1, "a part with nothing in it leaves no file");
        let text = std::fs::read_to_string(dir.join("patient-P1.json")).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(v["type"], "collection");
        assert_eq!(v["entry"][1]["resource"]["resourceType"], "Condition");
        assert_eq!(
            v["entry"][0]["fullUrl"],
            format!("urn:uuid:{}", ids::uuid("Patient", "r1"))
        );
        assert!(
            text.starts_with(
                "{\"resourceType\":\"Bundle\",\"id\":\"P1\",\"type\":\"collection\",\"entry\":[{"
            )
        );
        assert!(!dir.join("patient-P1.2.json").exists());
    }
}
