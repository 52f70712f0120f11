//! What the chart says at the data time, in the words every face uses: the part of `lifeboat show`
//! (text and `--json`) that must read the same as the viewer's 概要 and the printed summary.

use super::PatientChart;
use super::activity::Activity;
use super::med_context::OrderSetting;
use crate::model::{OrderKind, Timestamp};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct ChartSummary {
    pub data_time: Option<Timestamp>,
    /// `入院中`, `入院状況不明`, `入院中ではない`.
    pub admission: String,
    /// The messages that conflict when the admission is unclear (source files).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub admission_conflicts: Vec<String>,
    pub allergy_status: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub allergy_explanation: &'static str,
    pub allergies: Vec<String>,
    /// Red warnings: allergens matching an order, the same drug or class running twice.
    pub alerts: Vec<String>,
    /// What the codes did not allow to check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub check_limits: Vec<String>,
    pub running: Vec<MedLine>,
    pub unknown: Vec<MedLine>,
    pub planned: Vec<MedLine>,
    /// Records dated after the data time (「データ基準日時より後」).
    pub after_data_time: usize,
    /// The diet in force (`全粥 / 塩分6g`), empty when none.
    pub diet: String,
    /// `HBs(+) 2026-11-06`, `HCV 未検査` ...
    pub infection: Vec<String>,
    /// The newest vitals in one line, with their time.
    pub vitals: String,
}

#[derive(Debug, Serialize)]
pub struct MedLine {
    pub kind: OrderKind,
    pub drug: String,
    pub dose: String,
    pub dosage: String,
    pub route: String,
    pub rate: String,
    pub days: Option<u32>,
    pub start: Option<Timestamp>,
    pub until: Option<NaiveDate>,
    pub setting: OrderSetting,
    pub activity: Activity,
    /// `実施中（期間）・入院`.
    pub state: String,
    pub source: String,
}

impl ChartSummary {
    pub fn build(chart: &PatientChart) -> Self {
        let allergies = chart.allergies();
        let meds = chart.medications();
        let source = |record: usize| {
            chart
                .record(record)
                .map(|r| r.provenance.file.clone())
                .unwrap_or_default()
        };
        let lines = |list: &[super::ActiveMed]| -> Vec<MedLine> {
            list.iter()
                .map(|m| MedLine {
                    kind: m.kind,
                    drug: m.drug.clone(),
                    dose: m.dose.clone(),
                    dosage: m.dosage.clone(),
                    route: m.route.clone(),
                    rate: m.rate.clone(),
                    days: m.days,
                    start: m.start,
                    until: m.until,
                    setting: m.setting,
                    activity: m.activity,
                    state: m.state_ja(),
                    source: source(m.record),
                })
                .collect()
        };
        let (admission, admission_conflicts) = match (chart.current_stay(), chart.unclear_stay()) {
            (Some(_), _) => ("入院中".to_string(), Vec::new()),
            (None, Some(s)) => (
                "入院状況不明".to_string(),
                s.records.iter().map(|&r| source(r)).collect(),
            ),
            (None, None) => ("入院中ではない".to_string(), Vec::new()),
        };
        ChartSummary {
            data_time: chart.as_of(),
            admission,
            admission_conflicts,
            allergy_status: allergies.status.headline_ja().to_string(),
            allergy_explanation: allergies.status.explain_ja(),
            allergies: allergies
                .items
                .iter()
                .map(|a| format!("{}: {}", a.category.label_ja(), a.allergen))
                .collect(),
            alerts: chart.medication_alerts().into_iter().map(|a| a.text).collect(),
            check_limits: chart.allergy_check().limits.clone(),
            running: lines(&meds.active),
            unknown: lines(&meds.unknown),
            planned: lines(&meds.planned),
            after_data_time: chart.after_data_time().count(),
            diet: chart.diet().map(|d| d.line_ja()).unwrap_or_default(),
            infection: chart.infection().iter().map(|m| m.label_ja()).collect(),
            vitals: match chart.vitals().newest() {
                Some(t) => format!(
                    "{}（{}）",
                    chart.vitals().latest_line(),
                    t.to_iso().replace('T', " ")
                ),
                None => String::new(),
            },
        }
    }

    /// The text block `lifeboat show` prints before the records.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let time = self.data_time.map(|t| t.to_iso().replace('T', " "));
        let _ = writeln!(s, "■ データ基準日時 {}", time.as_deref().unwrap_or("不明"));
        let _ = writeln!(s, "  入院状況 {}", self.admission);
        for c in &self.admission_conflicts {
            let _ = writeln!(s, "    矛盾する記録 {c}");
        }
        let _ = writeln!(s, "  {}", self.allergy_status);
        if !self.allergy_explanation.is_empty() {
            let _ = writeln!(s, "    {}", self.allergy_explanation);
        }
        for a in &self.allergies {
            let _ = writeln!(s, "    {a}");
        }
        let diet = if self.diet.is_empty() {
            "指示なし"
        } else {
            self.diet.as_str()
        };
        let _ = writeln!(s, "  食事 {diet}");
        let _ = writeln!(s, "  感染症 {}", self.infection.join("　"));
        if !self.vitals.is_empty() {
            let _ = writeln!(s, "  バイタル {}", self.vitals);
        }
        for a in &self.alerts {
            let _ = writeln!(s, "  ！ {a}");
        }
        for l in &self.check_limits {
            let _ = writeln!(s, "  ※ {l}");
        }
        for (title, list) in [
            ("実施中の処方・注射", &self.running),
            ("継続状況不明（終了日・日数の記録なし）", &self.unknown),
            ("予定（データ基準日時より後に開始）", &self.planned),
        ] {
            let _ = writeln!(s, "  {title} ({})", list.len());
            for m in list {
                let mut parts = vec![format!("[{}] {}", m.kind.label_ja(), m.drug)];
                for p in [&m.dose, &m.dosage, &m.route] {
                    if !p.is_empty() {
                        parts.push(p.clone());
                    }
                }
                if !m.rate.is_empty() {
                    parts.push(format!("速度 {}", m.rate));
                }
                if let Some(u) = m.until {
                    parts.push(format!("〜{u}"));
                }
                let _ = writeln!(s, "    {}  〔{}〕", parts.join(" "), m.state);
            }
        }
        if self.after_data_time > 0 {
            let _ = writeln!(s, "  データ基準日時より後の記録 {} 件", self.after_data_time);
        }
        s
    }
}
