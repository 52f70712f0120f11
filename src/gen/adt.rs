//! Encounter events: ADT-12/21/22/31/32/42/51/52 including cancel messages.

use super::hl7::Seg;
use super::patient::{Gen, Life, Visit, xcn};
use super::ts::{Dt, t12};
use super::writer::{CURRENT, DELETED, NO_ORDER};

impl Gen<'_> {
    fn evn(recorded: Dt, occurred: Option<Dt>) -> String {
        let s = Seg::new("EVN").f(2, &t12(recorded));
        match occurred {
            Some(t) => s.f(6, &t12(t)).f(7, "SEND001").end(),
            None => s.f(7, "SEND001").end(),
        }
    }

    /// Inpatient PV1 with attending (7), department (10), admitting doctor (17).
    fn pv1_in(v: &Visit, prior: Option<&Visit>, extra: &[(usize, String)]) -> String {
        let mut s = Seg::new("PV1").f(1, "0001").f(2, "I").f(3, &Gen::loc(v));
        if let Some(p) = prior {
            s = s.f(6, &Gen::loc(p));
        }
        s = s.f(7, &xcn(v.doctor)).f(10, v.dept.code).f(17, &xcn(v.doctor));
        for (i, val) in extra {
            s = s.f(*i, val);
        }
        s.end()
    }

    /// ADT-12 (ADT^A04): outpatient registration; 診療日 = PV1-44.
    pub fn adt_visit(&mut self, t: Dt, v: &Visit) {
        if t > self.export {
            return;
        }
        self.visit_days.insert(t.date());
        let sent = self.sent(t);
        let pv1 = Seg::new("PV1")
            .f(1, "0001")
            .f(2, "O")
            .f(3, &Gen::loc(v))
            .f(7, &xcn(v.doctor))
            .f(10, v.dept.code)
            .f(44, &t12(t))
            .end();
        let segs = vec![
            self.msh(sent, "ADT^A04^ADT_A01"),
            Gen::evn(t, None),
            self.pid(),
            pv1,
        ];
        self.emit(
            Some(t.date()),
            "ADT-12",
            NO_ORDER,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
    }

    /// ADT-21 (ADT^A14): planned admission; 診療日 = PV2-8.
    pub fn adt_planned_admission(&mut self, sent_at: Dt, planned: Dt, v: &Visit, reason: &str) {
        if sent_at > self.export {
            return;
        }
        let sent = self.sent(sent_at);
        let ward = v
            .bed
            .map(|b| format!("{}^^^^^N^^^{}", b.ward_code(), b.ward_name()))
            .unwrap_or_default();
        let pv1 = Seg::new("PV1")
            .f(1, "0001")
            .f(2, "I")
            .f(3, &ward)
            .f(7, &xcn(v.doctor))
            .f(10, v.dept.code)
            .end();
        let pv2 = Seg::new("PV2")
            .f(3, &format!("^{reason}"))
            .f(8, &t12(planned))
            .end();
        let segs = vec![
            self.msh(sent, "ADT^A14^ADT_A05"),
            Gen::evn(sent_at, None),
            self.pid_adt(),
            pv1,
            pv2,
        ];
        self.emit(
            Some(planned.date()),
            "ADT-21",
            NO_ORDER,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
    }

    /// ADT-22 (ADT^A01); with `mistake`, a wrongly entered admission is
    /// cancelled (A11) and re-entered: `_0`, `_0`, `_1` under one key.
    pub fn adt_admit(&mut self, t: Dt, v: &Visit, mistake: Option<&Visit>) {
        if t > self.export {
            return;
        }
        let msg = |g: &mut Gen, sent: Dt, typ: &str, v: &Visit| -> Vec<String> {
            vec![
                g.msh(sent, typ),
                Gen::evn(sent, Some(t)),
                g.pid_adt(),
                Gen::pv1_in(v, None, &[(44, t12(t))]),
            ]
        };
        let date = Some(t.date());
        match mistake {
            Some(wrong) => {
                let s1 = self.sent(t);
                let s2 = self.sent(t + super::ts::minutes(15));
                let s3 = self.sent(t + super::ts::minutes(30));
                let m1 = msg(self, s1, "ADT^A01^ADT_A01", wrong);
                let m2 = msg(self, s2, "ADT^A11^ADT_A09", wrong);
                let m3 = msg(self, s3, "ADT^A01^ADT_A01", v);
                self.emit_flags(
                    date,
                    "ADT-22",
                    NO_ORDER,
                    v.dept.code,
                    vec![(s1, m1, DELETED), (s2, m2, DELETED), (s3, m3, CURRENT)],
                );
            }
            None => {
                let s1 = self.sent(t);
                let m1 = msg(self, s1, "ADT^A01^ADT_A01", v);
                self.emit(date, "ADT-22", NO_ORDER, v.dept.code, vec![(s1, m1)], Life::Plain);
            }
        }
    }

    /// ADT-42 (ADT^A02): transfer; 診療日 = EVN-6. With `cancel`, the
    /// transfer is revoked (A12) and both files get flag `0`.
    pub fn adt_transfer(&mut self, t: Dt, from: &Visit, to: &Visit, cancel: bool) {
        if t > self.export || self.transfer_days.contains(&t.date()) {
            return;
        }
        self.transfer_days.insert(t.date());
        let s1 = self.sent(t);
        let mut versions = vec![(
            s1,
            vec![
                self.msh(s1, "ADT^A02^ADT_A02"),
                Gen::evn(s1, Some(t)),
                self.pid_adt(),
                Gen::pv1_in(to, Some(from), &[]),
            ],
        )];
        if cancel {
            let s2 = self.sent_after(t, 10, 90);
            versions.push((
                s2,
                vec![
                    self.msh(s2, "ADT^A12^ADT_A12"),
                    Gen::evn(s2, Some(t)),
                    self.pid_adt(),
                    Gen::pv1_in(to, Some(from), &[]),
                ],
            ));
        }
        let life = if cancel { Life::Deleted } else { Life::Plain };
        self.emit(Some(t.date()), "ADT-42", NO_ORDER, to.dept.code, versions, life);
    }

    /// ADT-31 (ADT^A21) leave of absence and ADT-32 (ADT^A22) return; 診療日 = EVN-6.
    pub fn adt_leave(&mut self, out: Dt, back: Dt, v: &Visit) {
        for (t, typ, dtype) in [
            (out, "ADT^A21^ADT_A21", "ADT-31"),
            (back, "ADT^A22^ADT_A21", "ADT-32"),
        ] {
            if t > self.export {
                return;
            }
            let s = self.sent(t);
            let segs = vec![
                self.msh(s, typ),
                Gen::evn(s, Some(t)),
                self.pid_adt(),
                Gen::pv1_in(v, None, &[]),
            ];
            self.emit(
                Some(t.date()),
                dtype,
                NO_ORDER,
                v.dept.code,
                vec![(s, segs)],
                Life::Plain,
            );
        }
    }

    /// ADT-51 (ADT^A16): planned discharge; 診療日 = PV2-9.
    pub fn adt_planned_discharge(&mut self, sent_at: Dt, planned: Dt, v: &Visit) {
        if sent_at > self.export {
            return;
        }
        let s = self.sent(sent_at);
        let pv2 = Seg::new("PV2").f(9, &t12(planned)).end();
        let segs = vec![
            self.msh(s, "ADT^A16^ADT_A16"),
            Gen::evn(s, None),
            self.pid_adt(),
            Gen::pv1_in(v, None, &[]),
            pv2,
        ];
        self.emit(
            Some(planned.date()),
            "ADT-51",
            NO_ORDER,
            v.dept.code,
            vec![(s, segs)],
            Life::Plain,
        );
    }

    /// ADT-52 (ADT^A03): discharge; 診療日 = PV1-45. `cancel` writes an A03 + A13 pair (both `_0`).
    pub fn adt_discharge(&mut self, admit: Dt, t: Dt, v: &Visit, cancel: bool) {
        if t > self.export {
            return;
        }
        let extra = [(36, "01".to_string()), (44, t12(admit)), (45, t12(t))];
        let s1 = self.sent(t);
        let mut versions = vec![(
            s1,
            vec![
                self.msh(s1, "ADT^A03^ADT_A03"),
                Gen::evn(s1, Some(t)),
                self.pid_adt(),
                Gen::pv1_in(v, None, &extra),
            ],
        )];
        if cancel {
            let s2 = self.sent_after(t, 20, 120);
            versions.push((
                s2,
                vec![
                    self.msh(s2, "ADT^A13^ADT_A01"),
                    Gen::evn(s2, Some(t)),
                    self.pid_adt(),
                    Gen::pv1_in(v, None, &extra),
                ],
            ));
        }
        let life = if cancel { Life::Deleted } else { Life::Plain };
        self.emit(Some(t.date()), "ADT-52", NO_ORDER, v.dept.code, versions, life);
    }
}
