//! A collector that groups matching record documents by patient: how many matched, and the
//! first one (to show what matched).

use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

pub type ByPatientFruit = HashMap<u64, (u32, DocAddress)>;

pub struct ByPatient {
    field: Field,
    /// Stop adding new patients beyond this many (counts of those seen still grow).
    max_patients: usize,
}

impl ByPatient {
    pub fn new(field: Field, max_patients: usize) -> Self {
        ByPatient { field, max_patients }
    }
}

pub struct ByPatientSegment {
    segment: SegmentOrdinal,
    column: Column<u64>,
    max_patients: usize,
    found: ByPatientFruit,
}

impl Collector for ByPatient {
    type Fruit = ByPatientFruit;
    type Child = ByPatientSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ByPatientSegment> {
        let name = reader.schema().get_field_name(self.field).to_string();
        Ok(ByPatientSegment {
            segment,
            column: reader.fast_fields().u64(&name)?,
            max_patients: self.max_patients,
            found: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ByPatientFruit>) -> tantivy::Result<ByPatientFruit> {
        let mut all: ByPatientFruit = HashMap::new();
        for f in fruits {
            for (p, (n, addr)) in f {
                let e = all.entry(p).or_insert((0, addr));
                e.0 += n;
                e.1 = e.1.min(addr);
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for ByPatientSegment {
    type Fruit = ByPatientFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(p) = self.column.first(doc) else {
            return;
        };
        let full = self.found.len() >= self.max_patients;
        match self.found.get_mut(&p) {
            Some(e) => e.0 += 1,
            None if !full => {
                self.found.insert(p, (1, DocAddress::new(self.segment, doc)));
            }
            None => {}
        }
    }

    fn harvest(self) -> ByPatientFruit {
        self.found
    }
}
