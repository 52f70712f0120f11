//! One patient's chart for the tabs: the shared [`PatientChart`] (the same views the printouts and
//! the CLI use) with every view computed up front, off the UI thread, so that switching tabs never
//! computes anything heavy; plus the timeline order the GUI adds.

use crate::chart::PatientChart;
use crate::index::SnapshotIndex;
use crate::model::Record;

pub struct ChartData {
    pub chart: PatientChart,
    /// Record indices newest first, undated last.
    pub timeline: Vec<usize>,
    pub error: Option<String>,
}

impl ChartData {
    /// Reads the patient from the index and computes every view.
    pub fn load(index: &SnapshotIndex, id: &str) -> ChartData {
        // The index's chart carries the PID demographics and the identity checks too.
        let (chart, error) = match index.chart(id) {
            Ok(c) => (c, None),
            Err(e) => (
                PatientChart::build(id, Vec::new(), index.as_of()),
                Some(format!("{e:#}")),
            ),
        };
        let mut d = ChartData::from_chart(chart);
        d.error = error;
        d
    }

    fn from_chart(chart: PatientChart) -> ChartData {
        // The views are lazy; touch them all here, on the loading thread.
        let _ = (
            chart.banner(),
            chart.allergies(),
            chart.medications(),
            chart.labs(),
            chart.problems(),
            chart.encounters(),
            chart.documents(),
            chart.vitals(),
            chart.worklist(),
            chart.infection(),
        );
        let n = chart.records().len();
        let undated = chart.records().iter().filter(|r| r.date().is_none()).count();
        // Records are oldest first with undated ones last: reverse the dated part.
        let mut timeline: Vec<usize> = (0..n - undated).rev().collect();
        timeline.extend(n - undated..n);
        ChartData {
            chart,
            timeline,
            error: None,
        }
    }

    pub fn records(&self) -> &[Record] {
        self.chart.records()
    }
}
