//! Infection serology on admission (HBs抗原, HCV抗体, TP抗体) as an ordinary OML-11 result,
//! qualitative 陰性/陽性. About one patient in eight carries HBs or HCV, so the ward board has a
//! positive mark to show. Written after the story on its own PRNG stream.

use super::hl7::Seg;
use super::patient::{Gen, Life, Visit};
use super::ts::{Dt, minutes, t12, t14};

/// (JLAC10 code, name); the analyte (first five characters) is what readers match.
const TESTS: [(&str, &str); 3] = [
    ("5F016000002300001", "HBs抗原"),
    ("5F360000002300001", "HCV抗体"),
    ("5E071000002300001", "TP抗体"),
];

impl Gen<'_> {
    pub fn serology(&mut self) {
        // Decided once per patient (a carrier stays one), by the patient index rather than the
        // stream: one in eight exactly, and the bundled sample (seed 1) shows a positive mark.
        let positive = if self.p.idx % 8 == 4 {
            Some(if self.rng.chance(0.5) { 0 } else { 1 })
        } else {
            None
        };
        for s in self.stays {
            let collect = s.admit + minutes(self.rng.int(30, 150));
            let report = collect + minutes(self.rng.int(180, 600));
            if report > self.export || s.segments.is_empty() || collect >= s.discharge {
                continue;
            }
            let (d, doc) = self.doctor_of(s.scenario.dept);
            let v = Visit {
                inpatient: true,
                dept: d,
                doctor: doc,
                bed: s.segments.first().map(|g| g.bed),
            };
            self.serology_result(collect, report, &v, positive);
        }
    }

    fn serology_result(&mut self, collect: Dt, report: Dt, v: &Visit, positive: Option<usize>) {
        let order = self.order_no();
        let spec = format!("{}01", &order[5..]);
        let sent = self.sent(report);
        let mut segs = vec![
            self.msh(sent, "OUL^R22^OUL_R22"),
            self.pid(),
            Gen::pv1(v),
            Seg::new("SPM")
                .f(1, "1")
                .f(2, &spec)
                .f(4, "023^血清^JC10")
                .f(17, &t12(collect))
                .end(),
            Seg::new("OBR")
                .f(1, "1")
                .f(2, &order)
                .f(3, &spec)
                .f(4, "S001^感染症検査^99O03")
                .f(7, &t12(collect))
                .f(8, &t12(collect))
                .f(16, &super::patient::xcn(v.doctor))
                .f(22, &t14(report))
                .f(25, "F")
                .end(),
            Seg::new("ORC")
                .f(1, "SC")
                .f(2, &order)
                .f(3, &spec)
                .f(5, "CM")
                .f(9, &t14(report))
                .f(12, &super::patient::xcn(v.doctor))
                .f(13, &Gen::short_loc(v))
                .f(17, &format!("{}^{}^99XY1", v.dept.code, v.dept.name))
                .f(21, super::dept::HOSPITAL)
                .f(29, "I^入院患者オーダ^HL70482")
                .end(),
        ];
        for (k, (code, name)) in TESTS.iter().enumerate() {
            let pos = positive == Some(k);
            segs.push(
                Seg::new("OBX")
                    .f(1, &(k + 1).to_string())
                    .f(2, "ST")
                    .f(3, &format!("{code}^{name}^JC10"))
                    .f(5, if pos { "陽性" } else { "陰性" })
                    .f(7, "陰性")
                    .f(8, if pos { "A" } else { "" })
                    .f(11, "F")
                    .f(14, &t12(collect))
                    .end(),
            );
        }
        self.emit(
            Some(collect.date()),
            "OML-11",
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
    }
}
