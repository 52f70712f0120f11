//! Matching record documents counted per patient: a dense counter indexed by the patient
//! ordinal (`pnum`, 0..patients), fed a block of doc ids at a time straight from the query's
//! doc sets (no scoring, no hashing per document).

use tantivy::query::{EnableScoring, Query};
use tantivy::schema::Field;
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocAddress, DocSet, Searcher, TERMINATED};

/// How many records of each patient matched, and the first one (in index order).
pub struct PatientCounts {
    counts: Vec<u32>,
    first: Vec<DocAddress>,
    /// Matching documents seen.
    pub docs: u64,
    /// False when the scan stopped at its document budget: counts cover only the documents
    /// seen, in index order.
    pub complete: bool,
}

impl PatientCounts {
    /// Patients with at least one match: `(pnum, count, first match)`, unordered.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32, DocAddress)> + '_ {
        self.counts
            .iter()
            .zip(&self.first)
            .enumerate()
            .filter(|(_, (n, _))| **n > 0)
            .map(|(p, (n, a))| (p as u64, *n, *a))
    }

    /// The `k` patients with the most matches (ties: lower `pnum` first), best first.
    pub fn top(&self, k: usize) -> Vec<(u64, u32, DocAddress)> {
        let mut all: Vec<(u64, u32, DocAddress)> = self.iter().collect();
        let order =
            |a: &(u64, u32, DocAddress), b: &(u64, u32, DocAddress)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if all.len() > k && k > 0 {
            all.select_nth_unstable_by(k - 1, order);
            all.truncate(k);
        } else if k == 0 {
            all.clear();
        }
        all.sort_unstable_by(order);
        all
    }

    fn add(&mut self, pnum: u64, addr: DocAddress) {
        let Ok(i) = usize::try_from(pnum) else {
            return;
        };
        if i >= self.counts.len() {
            // An ordinal beyond the patient count the metadata gave: grow rather than lose it.
            if i > self.counts.len().saturating_mul(4).max(1 << 20) {
                return;
            }
            self.counts.resize(i + 1, 0);
            self.first.resize(i + 1, DocAddress::new(0, 0));
        }
        if self.counts[i] == 0 {
            self.first[i] = addr;
        }
        self.counts[i] += 1;
    }
}

/// Counts the documents matching `query` per value of the u64 fast field `pnum`, in index
/// order, stopping at the first block of 64 documents that reaches `max_docs` (`u64::MAX`:
/// all). `patients` sizes the counter (larger ordinals still count).
pub fn count_by_patient(
    searcher: &Searcher,
    query: &dyn Query,
    pnum: Field,
    patients: usize,
    max_docs: u64,
) -> tantivy::Result<PatientCounts> {
    let mut out = PatientCounts {
        counts: vec![0; patients],
        first: vec![DocAddress::new(0, 0); patients],
        docs: 0,
        complete: true,
    };
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let name = searcher.schema().get_field_name(pnum).to_string();
    let mut docs = [0u32; COLLECT_BLOCK_BUFFER_LEN];
    let mut values: Vec<Option<u64>> = vec![None; COLLECT_BLOCK_BUFFER_LEN];
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let column = reader.fast_fields().u64(&name)?;
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        if scorer.doc() == TERMINATED {
            continue;
        }
        loop {
            let n = scorer.fill_buffer(&mut docs);
            if n == 0 {
                break;
            }
            column.first_vals(&docs[..n], &mut values[..n]);
            for (doc, value) in docs[..n].iter().zip(&values[..n]) {
                if alive.is_some_and(|a| !a.is_alive(*doc)) {
                    continue;
                }
                if let Some(p) = value {
                    out.add(*p, DocAddress::new(ord as u32, *doc));
                }
                out.docs += 1;
            }
            if scorer.doc() == TERMINATED {
                break;
            }
            if out.docs >= max_docs {
                out.complete = false;
                return Ok(out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument, Term};

    /// An in-memory index of (pnum, word) documents, in this order, one segment.
    fn index(docs: &[(u64, &str)]) -> (Index, Field, Field) {
        let mut b = Schema::builder();
        let pnum = b.add_u64_field("pnum", INDEXED | FAST);
        let word = b.add_text_field("word", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).expect("writer");
        for (p, t) in docs {
            let mut d = TantivyDocument::default();
            d.add_u64(pnum, *p);
            d.add_text(word, t);
            w.add_document(d).expect("add");
        }
        w.commit().expect("commit");
        (index, pnum, word)
    }

    fn word(field: Field, w: &str) -> TermQuery {
        TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::Basic)
    }

    #[test]
    fn counts_per_patient_with_the_first_match() {
        let docs = [
            (0, "x"),
            (1, "x"),
            (0, "y"),
            (1, "x"),
            (2, "y"),
            (1, "x"),
            (0, "x"),
        ];
        let (index, pnum, field) = index(&docs);
        let searcher = index.reader().expect("reader").searcher();
        let c = count_by_patient(&searcher, &word(field, "x"), pnum, 3, u64::MAX).expect("count");
        assert!(c.complete);
        assert_eq!(c.docs, 5);
        let top: Vec<(u64, u32, u32)> = c.top(10).into_iter().map(|(p, n, a)| (p, n, a.doc_id)).collect();
        assert_eq!(top, [(1, 3, 1), (0, 2, 0)]);
        assert_eq!(c.top(1).len(), 1);
        assert!(c.top(0).is_empty());
        let none = count_by_patient(&searcher, &word(field, "zzz"), pnum, 3, u64::MAX).expect("count");
        assert!(none.complete && none.docs == 0 && none.top(5).is_empty());
    }

    #[test]
    fn equal_counts_rank_by_ordinal_and_large_ordinals_still_count() {
        let docs = [(7, "x"), (5, "x"), (2, "x"), (5, "x"), (7, "x")];
        let (index, pnum, _) = index(&docs);
        let searcher = index.reader().expect("reader").searcher();
        // Sized for 3 patients: ordinals 5 and 7 grow the counter.
        let c = count_by_patient(&searcher, &AllQuery, pnum, 3, u64::MAX).expect("count");
        let top: Vec<(u64, u32)> = c.top(3).into_iter().map(|(p, n, _)| (p, n)).collect();
        assert_eq!(top, [(5, 2), (7, 2), (2, 1)]);
    }

    #[test]
    fn the_budget_stops_at_a_block_boundary_and_says_so() {
        let docs: Vec<(u64, &str)> = (0..300u64).map(|i| (i / 10, "x")).collect();
        let (index, pnum, field) = index(&docs);
        let searcher = index.reader().expect("reader").searcher();
        let c = count_by_patient(&searcher, &word(field, "x"), pnum, 30, 10).expect("count");
        assert!(!c.complete);
        assert_eq!(c.docs, COLLECT_BLOCK_BUFFER_LEN as u64);
        let counted: u32 = c.iter().map(|(_, n, _)| n).sum();
        assert_eq!(u64::from(counted), c.docs);
        // Patients 0..=5 fully, 6 partly (64 = 6 × 10 + 4), none beyond.
        assert_eq!(c.top(100).len(), 7);
        let all = count_by_patient(&searcher, &word(field, "x"), pnum, 30, 300).expect("count");
        assert!(all.complete, "a budget the matches fit in counts everything");
        assert_eq!(all.top(100).len(), 30);
    }
}
