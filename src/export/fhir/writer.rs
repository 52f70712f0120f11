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
    /// The Bundle being written, and whether it has an entry yet.
    open: Option<(BufWriter<File>, PathBuf, bool)>,
    files: Vec<PathBuf>,
}

impl BundleWriter {
    fn begin(&mut self, patient_resource_id: &str, part: u32) -> Result<()> {
        self.end()?;
        let path = self.dir.join(layout::bundle_name(patient_resource_id, part));
        let mut out = create(&path)?;
        let id = if part <= 1 {
            patient_resource_id.to_string()
        } else {
            format!("{patient_resource_id}-{part}")
        };
        let head = serde_json::json!({"resourceType": "Bundle", "id": id, "type": "collection"});
        // The head without its closing brace, then the entries as they come.
        let head = head.to_string();
        let head = head.strip_suffix('}').unwrap_or(&head);
        write!(out, "{head},\"entry\":[").with_context(|| format!("writing {}", path.display()))?;
        self.files.push(path.clone());
        self.open = Some((out, path, false));
        Ok(())
    }

    fn write(&mut self, r: &Resource) -> Result<()> {
        let Some((out, path, any)) = self.open.as_mut() else {
            anyhow::bail!(
                "internal error: {}/{} written outside a patient Bundle",
                r.resource_type,
                r.id
            );
        };
        let full_url = format!("urn:uuid:{}", ids::uuid(r.resource_type, &r.id));
        let sep = if *any { "," } else { "" };
        write!(out, "{sep}{{\"fullUrl\":\"{full_url}\",\"resource\":")
            .map_err(anyhow::Error::from)
            .and_then(|()| Ok(serde_json::to_writer(&mut *out, &r.json)?))
            .and_then(|()| Ok(out.write_all(b"}")?))
            .with_context(|| format!("writing {}/{} to {}", r.resource_type, r.id, path.display()))?;
        *any = true;
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        if let Some((mut out, path, _)) = self.open.take() {
            out.write_all(b"]}\n")
                .and_then(|()| out.flush())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}
