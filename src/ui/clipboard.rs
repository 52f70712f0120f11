//! Copying chart lists as tab-separated text, for a handwritten order or a phone call: the
//! medication list and the lab table whole (a 「コピー」 button), a selected row by Ctrl+C.
//! Tabs and line breaks inside a value become spaces, so every row stays one line of cells.

use super::chart::ChartState;
use crate::chart::{LabTable, MedicationsView, OrderGroup, OrderLine, OrderState};
use crate::model::RecordStatus;

/// One value as a TSV cell.
fn cell(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c })
        .collect()
}

fn line(cells: &[String]) -> String {
    let mut s = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join("\t");
    s.push('\n');
    s
}

fn day(t: Option<crate::model::Timestamp>) -> String {
    t.map(|t| t.date().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

const MED_HEADER: [&str; 9] = [
    "オーダ日",
    "区分",
    "薬剤",
    "状態",
    "1回量",
    "用法",
    "経路",
    "日数",
    "速度",
];

fn med_cells(group: &OrderGroup, l: &OrderLine) -> Vec<String> {
    vec![
        day(group.date),
        group.kind.label_ja().to_string(),
        l.drug.clone(),
        l.activity.state.label_ja().to_string(),
        l.dose.clone(),
        l.dosage.clone(),
        l.route.clone(),
        l.days.map(|d| format!("{d}日")).unwrap_or_default(),
        l.rate.clone(),
    ]
}

/// The medication list as the 処方・注射 tab shows it by default: current versions of the
/// orders running, of unknown state or planned, newest order first, with a header line.
pub fn meds_tsv(view: &MedicationsView) -> String {
    let mut out = line(&MED_HEADER.map(String::from));
    for g in &view.groups {
        let open = g.lines.iter().any(|l| {
            matches!(
                l.activity.state,
                OrderState::Active | OrderState::Unknown | OrderState::Planned
            )
        });
        if !open {
            continue;
        }
        for l in g.lines.iter().filter(|l| l.status == RecordStatus::Current) {
            out.push_str(&line(&med_cells(g, l)));
        }
    }
    out
}

/// The lab table: test, unit, range, then one column per collection time (newest first),
/// values with their H/L marks; `rows` are the table's rows shown (after the filter).
pub fn labs_tsv(t: &LabTable, rows: &[usize]) -> String {
    let mut header = vec!["検査項目".to_string(), "単位".into(), "基準値".into()];
    header.extend(t.columns.iter().map(|c| match c.time {
        Some(w) if w.has_time() => w.value().format("%Y-%m-%d %H:%M").to_string(),
        Some(w) => w.value().format("%Y-%m-%d").to_string(),
        None => "日時不明".into(),
    }));
    let mut out = line(&header);
    for r in rows.iter().filter_map(|&i| t.rows.get(i)) {
        let mut cells = vec![r.name.clone(), r.unit.clone(), r.range.clone()];
        cells.extend((0..t.columns.len()).map(|c| match r.cell(c) {
            Some(v) if v.mark().is_empty() => v.value.clone(),
            Some(v) => format!("{} {}", v.value, v.mark()),
            None => String::new(),
        }));
        out.push_str(&line(&cells));
    }
    out
}

/// The selected record as one TSV line: a medication line as in [`meds_tsv`], anything else as
/// date, kind and summary (as the 経過 tab lists it).
pub fn selected_row_tsv(chart: &ChartState) -> Option<String> {
    let record = chart.selected?;
    let view = chart.data.chart.medications();
    for g in &view.groups {
        if let Some(l) = g.lines.iter().find(|l| l.record == record) {
            return Some(line(&med_cells(g, l)));
        }
    }
    let r = chart.data.records().get(record)?;
    let when = r
        .date()
        .map(|t| t.value().format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    Some(line(&[when, r.kind().label_ja().to_string(), r.summary()]))
}

/// 「コピー」: puts `text()` on the clipboard when clicked.
pub fn copy_button(ui: &mut egui::Ui, hover: &str, text: impl FnOnce() -> String) {
    if ui.button("コピー").on_hover_text(hover).clicked() {
        ui.ctx().copy_text(text());
    }
}

/// Ctrl+C outside a text field (egui turns it into a copy event): used up and true.
pub fn take_copy(ctx: &egui::Context) -> bool {
    if ctx.text_edit_focused() {
        return false;
    }
    ctx.input_mut(|i| {
        let before = i.events.len();
        i.events.retain(|e| !matches!(e, egui::Event::Copy));
        i.events.len() != before
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_break_the_row() {
        assert_eq!(
            line(&["a\tb".into(), " 1日3回\n毎食後 ".into()]),
            "a b\t1日3回 毎食後\n"
        );
    }
}
