//! Printouts for the ward during an outage: one patient's summary, or a whole ward's pack, as
//! PDF. Content comes from the chart view models (`crate::chart`), never from HL7 or FHIR.
//!
//! The layout engine is ours and small: pages are laid out first as lists of drawing operations
//! (`page`, `flow`, `table`, `wrap`), then rendered with krilla, which embeds a subset of the
//! bundled BIZ UDGothic (`render`). The footer of every page (`furniture`) is added at render
//! time, when the page count is known.
//!
//! For the GUI: [`patient_pdf`] / [`chart_pdf`], [`ward_pdf`], [`all_wards_pdf`] return the PDF
//! bytes; [`save_and_open`] writes them outside the snapshot and opens the system viewer
//! ([`save_pdf`] alone for a chosen folder).

mod cover;
mod flow;
mod font;
mod format;
mod furniture;
mod key_tests;
mod page;
mod render;
mod sparkline;
mod summary;
mod table;
mod ward;
mod worklist;
mod wrap;

pub use furniture::NOTICE;

use crate::chart::mode::DataMode;
use crate::chart::{Census, PatientChart, WardCensus};
use crate::index::SnapshotIndex;
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use flow::Flow;
use font::Fonts;
use furniture::Furniture;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct PrintOptions {
    /// 印刷者: printed on every page when given.
    pub operator: Option<String>,
    /// 印刷日時; now (local time) when not given. Fixed by tests.
    pub printed_at: Option<NaiveDateTime>,
    /// The audit log's chain head when printed (its first 8 hex digits are on every page, so
    /// a sheet is matched to the log line that follows that head).
    pub audit_head: Option<String>,
}

impl PrintOptions {
    fn furniture(&self, snapshot: &str, as_of: &str, mode: DataMode) -> Furniture {
        let printed = self
            .printed_at
            .unwrap_or_else(|| chrono::Local::now().naive_local());
        Furniture {
            as_of: as_of.to_string(),
            printed_at: printed.format("%Y-%m-%d %H:%M").to_string(),
            operator: self.operator.clone().unwrap_or_default().trim().to_string(),
            snapshot: snapshot.to_string(),
            audit: self
                .audit_head
                .as_deref()
                .map(|h| h.chars().take(8).collect())
                .unwrap_or_default(),
            drill: mode.is_drill(),
        }
    }
}

/// What a print request prints, for the audit log: its kind and the patients on it.
pub fn subject(
    index: &SnapshotIndex,
    patient: Option<&str>,
    ward: Option<&str>,
    all_wards: bool,
    worklist: bool,
) -> (String, Vec<String>) {
    let census = index.census();
    let of = |wards: Vec<&WardCensus>| -> Vec<String> {
        wards
            .iter()
            .flat_map(|w| w.entries.iter().map(|e| e.patient_id.clone()))
            .collect()
    };
    let kind = if worklist { "worklist" } else { "summary" };
    match (patient, ward) {
        (Some(id), _) => ("patient summary".into(), vec![id.to_string()]),
        (None, Some(w)) => (
            format!("ward {kind}: {w}"),
            of(find_ward(census, w).into_iter().collect()),
        ),
        (None, None) if all_wards => (format!("all wards {kind}"), of(census.wards.iter().collect())),
        _ => ("nothing".into(), Vec::new()),
    }
}

/// The number of pages of a PDF this module made (its page tree's `/Count`).
pub fn page_count(pdf: &[u8]) -> u32 {
    let key = b"/Type/Pages/Count ";
    pdf.windows(key.len())
        .position(|w| w == key)
        .and_then(|at| {
            let digits: String = pdf[at + key.len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .map(|b| char::from(*b))
                .collect();
            digits.parse().ok()
        })
        .unwrap_or(0)
}

fn as_of_text(index: &SnapshotIndex) -> String {
    match index.as_of() {
        Some(t) => format::time(Some(t)),
        None => "不明".to_string(),
    }
}

/// One patient's chart from the index, as the viewer opens it: demographics from a message's
/// PID when there is no patient master, identity conflicts and namesakes.
pub fn chart_of(index: &SnapshotIndex, patient_id: &str) -> Result<PatientChart> {
    let chart = index.chart(patient_id)?;
    if chart.records().is_empty() && index.patient(patient_id)?.is_none() {
        bail!("患者ID {patient_id} はこのスナップショットにありません");
    }
    Ok(chart)
}

/// The summary of one patient (A4, usually one or two pages).
pub fn patient_pdf(index: &SnapshotIndex, patient_id: &str, options: &PrintOptions) -> Result<Vec<u8>> {
    let chart = chart_of(index, patient_id)?;
    chart_pdf(&chart, index.name(), index.report().mode(), options)
}

/// The summary of a chart the caller already holds, from a snapshot of `mode` (a chart with a
/// record marked as training data is printed as a drill's whatever `mode` says).
pub fn chart_pdf(
    chart: &PatientChart,
    snapshot_name: &str,
    mode: DataMode,
    options: &PrintOptions,
) -> Result<Vec<u8>> {
    let mode = if chart.records().iter().any(|r| r.provenance.drill) {
        DataMode::Drill
    } else {
        mode
    };
    let fonts = Fonts::load()?;
    let mut flow = Flow::new(&fonts);
    summary::layout(&mut flow, chart);
    let as_of = match chart.as_of() {
        Some(t) => format::time(Some(t)),
        None => "不明".to_string(),
    };
    let banner = chart.banner();
    let title = format!(
        "患者サマリー {} ID {}",
        summary::display_name(banner),
        banner.patient_id
    );
    render::render(
        &fonts,
        flow.into_pages(),
        &options.furniture(snapshot_name, &as_of, mode),
        &title,
    )
}

/// The ward asked for, or an error that names the wards that have inpatients.
fn ward_or_explain<'c>(census: &'c Census, ward: &str) -> Result<&'c WardCensus> {
    match find_ward(census, ward) {
        Some(w) => Ok(w),
        None => {
            let known: Vec<String> = census
                .wards
                .iter()
                .map(|w| format!("{}（{}）", w.code, w.name))
                .collect();
            bail!(
                "病棟 {ward} に入院中の患者はいません（入院患者のいる病棟: {}）",
                known.join("、")
            )
        }
    }
}

/// Finds a ward by code (`32`) or name (`3階東病棟`).
pub fn find_ward<'c>(census: &'c Census, ward: &str) -> Option<&'c WardCensus> {
    let ward = ward.trim();
    census.wards.iter().find(|w| w.code == ward || w.name == ward)
}

/// The pack of one ward: a cover listing its inpatients, then one summary per patient.
pub fn ward_pdf(index: &SnapshotIndex, ward: &str, options: &PrintOptions) -> Result<Vec<u8>> {
    let w = ward_or_explain(index.census(), ward)?;
    wards_pdf(index, std::slice::from_ref(w), options)
}

/// Every ward's pack in turn, in one file.
pub fn all_wards_pdf(index: &SnapshotIndex, options: &PrintOptions) -> Result<Vec<u8>> {
    let census = index.census();
    if census.wards.is_empty() {
        // Still a page: an empty printout must say why it is empty.
        let empty = WardCensus {
            code: String::new(),
            name: "全病棟".to_string(),
            entries: Vec::new(),
        };
        return wards_pdf(index, std::slice::from_ref(&empty), options);
    }
    wards_pdf(index, &census.wards, options)
}

/// The packs of the given wards (the GUI's census selection), in order.
pub fn wards_pdf(index: &SnapshotIndex, wards: &[WardCensus], options: &PrintOptions) -> Result<Vec<u8>> {
    let fonts = Fonts::load()?;
    let as_of = as_of_text(index);
    let mut pages = Vec::new();
    for w in wards {
        let section = ward::layout(&fonts, index, w, &as_of, pages.len())?;
        pages.extend(section);
    }
    let title = match wards {
        [one] => format!("病棟患者一覧 {}", one.name),
        _ => "病棟患者一覧 全病棟".to_string(),
    };
    render::render(
        &fonts,
        pages,
        &options.furniture(index.name(), &as_of, index.report().mode()),
        &title,
    )
}

/// The injection and medication worklist of the given wards (one block per bed, tick boxes
/// and sign columns), each ward starting on a new page.
pub fn worklist_pdf(index: &SnapshotIndex, wards: &[WardCensus], options: &PrintOptions) -> Result<Vec<u8>> {
    let fonts = Fonts::load()?;
    let as_of = as_of_text(index);
    let mut pages = Vec::new();
    for w in wards {
        let charts = w
            .entries
            .iter()
            .map(|e| chart_of(index, &e.patient_id))
            .collect::<Result<Vec<_>>>()?;
        let mut flow = Flow::new(&fonts);
        worklist::layout_ward(&mut flow, w, &as_of, &charts);
        pages.extend(flow.into_pages());
    }
    let title = match wards {
        [one] => format!("注射・投薬ワークリスト {}", one.name),
        _ => "注射・投薬ワークリスト 全病棟".to_string(),
    };
    render::render(
        &fonts,
        pages,
        &options.furniture(index.name(), &as_of, index.report().mode()),
        &title,
    )
}

/// The worklist of one ward, found by code or name (see [`find_ward`]).
pub fn ward_worklist_pdf(index: &SnapshotIndex, ward: &str, options: &PrintOptions) -> Result<Vec<u8>> {
    let w = ward_or_explain(index.census(), ward)?;
    worklist_pdf(index, std::slice::from_ref(w), options)
}

/// Writes a printout into `dir` (default: a `lifeboat-print` folder in the system temp
/// directory, never the snapshot) under a name made of `file_stem` and the time. Returns the
/// file written.
pub fn save_pdf(pdf: &[u8], dir: Option<&Path>, file_stem: &str) -> Result<PathBuf> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => std::env::temp_dir().join("lifeboat-print"),
    };
    std::fs::create_dir_all(&dir)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    // Names may carry a ward or patient name: keep letters (kanji too), drop path characters.
    let safe: String = file_stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{safe}-{stamp}.pdf"));
    std::fs::write(&path, pdf)?;
    Ok(path)
}

/// Opens a PDF in the system viewer, from which the user prints (there is no portable print
/// dialog; see the design notes).
pub fn open_pdf(path: &Path) -> Result<()> {
    open::that_detached(path)?;
    Ok(())
}

/// [`save_pdf`] then [`open_pdf`]: the GUI's print button.
pub fn save_and_open(pdf: &[u8], dir: Option<&Path>, file_stem: &str) -> Result<PathBuf> {
    let path = save_pdf(pdf, dir, file_stem)?;
    open_pdf(&path)?;
    Ok(path)
}

#[cfg(test)]
mod engine_tests;
