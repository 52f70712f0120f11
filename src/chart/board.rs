//! One inpatient's line on the ward board (the census screen and the printed cover carry the
//! same columns): main diagnosis, allergies, diet, infection marks and the drips running.

use super::{AllergyStatus, Finding, PatientChart};
use crate::model::OrderKind;
use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize)]
pub struct BoardLine {
    /// 入院日数 (the admission day is day 1).
    pub day_of_stay: Option<i64>,
    /// The main active problem (else the first active one), `（疑い）` as recorded.
    pub main_problem: String,
    /// Allergen names (drugs first), or the status headline (未記録 / なし（記録あり）).
    pub allergy: String,
    pub drug_allergy: bool,
    pub diet: String,
    pub fasting: bool,
    /// Positive infection marks only (`HBs(+) 2026-11-06`); the rest is on the chart.
    pub infection: Vec<String>,
    /// Injections running now: `ソリタ－Ｔ３号輸液 63 mL/h`.
    pub drips: Vec<String>,
}

impl BoardLine {
    pub fn build(chart: &PatientChart) -> Self {
        let allergies = chart.allergies();
        let allergy = match allergies.status {
            AllergyStatus::Known => allergies
                .items
                .iter()
                .map(|a| a.allergen.clone())
                .collect::<Vec<_>>()
                .join("、"),
            s => s.headline_ja().to_string(),
        };
        let problems = chart.problems();
        let main_problem = problems
            .active
            .iter()
            .find(|p| p.main)
            .or(problems.active.first())
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let diet = chart.diet();
        BoardLine {
            day_of_stay: chart.banner().admission.as_ref().and_then(|a| a.day),
            main_problem,
            allergy,
            drug_allergy: allergies.drugs().next().is_some(),
            fasting: diet.as_ref().is_some_and(|d| d.fasting),
            diet: diet.map(|d| d.line_ja()).unwrap_or_default(),
            infection: chart
                .infection()
                .iter()
                .filter(|m| m.finding == Finding::Positive)
                .map(|m| m.label_ja())
                .collect(),
            drips: chart
                .medications()
                .active
                .iter()
                .filter(|m| m.kind == OrderKind::Injection)
                .map(|m| {
                    if m.rate.is_empty() {
                        m.drug.clone()
                    } else {
                        format!("{} {}", m.drug, m.rate)
                    }
                })
                .collect(),
        }
    }
}
