//! Imaging, endoscopy and ECG: OMG-01/02/03 orders with OMG-11/12/13 results.

use super::exams::{Exam, ExamKind, exam, finding};
use super::hl7::Seg;
use super::patient::{Gen, Life, Visit, xcn};
use super::ts::{Dt, d8, t12, t14};

impl Gen<'_> {
    fn study_uid(&mut self) -> String {
        let a = self.rng.below(9_000_000_000_000_000_000) + 1_000_000_000_000_000_000;
        let b = self.rng.below(10_000_000_000_000_000_000);
        format!("2.25.{a}{b:019}")
    }

    fn tq1_routine() -> String {
        "TQ1|1||||||||R^^HL70485".to_string()
    }

    fn exam_obr(order: &str, code: &str, v: &Visit, done: Option<(Dt, Dt)>, parent: Option<&str>) -> String {
        let mut s = Seg::new("OBR").f(2, order).f(4, code);
        if let Some((t, _)) = done {
            s = s.f(7, &t12(t));
        }
        s = s.f(16, &xcn(v.doctor));
        if let Some((_, r)) = done {
            s = s.f(22, &t14(r)).f(25, "F");
        }
        if let Some(p) = parent {
            s = s.f(29, p);
        }
        s.end()
    }

    fn child_orc(&mut self, child: &str, parent: &str, t: Dt, v: &Visit) -> String {
        // ORC-8 carries the parent order number.
        let base = self.orc("CH", child, "", t, v);
        let mut fields: Vec<&str> = base.split('|').collect();
        if fields.len() > 8 {
            fields[8] = parent;
        }
        fields.join("|")
    }

    /// Order at `ordered`, performed at `done`, reported at `report`.
    pub fn exam(&mut self, key: &str, ordered: Dt, done: Dt, report: Dt, v: &Visit, tag: &str) {
        if ordered > self.export {
            return;
        }
        let e = exam(key);
        match e.kind {
            ExamKind::Ecg => self.ecg(e, ordered, done, report, v, tag),
            _ => self.imaging(e, ordered, done, report, v, tag),
        }
    }

    fn imaging(&mut self, e: &'static Exam, ordered: Dt, done: Dt, report: Dt, v: &Visit, tag: &str) {
        let endo = e.kind == ExamKind::Endoscopy;
        let (order_type, result_type) = if endo {
            ("OMG-02", "OMG-12")
        } else {
            ("OMG-01", "OMG-11")
        };
        let order = self.order_no();
        let children: Vec<String> = e.children.iter().map(|_| self.order_no()).collect();
        let life = self.pick_life(0.0, 0.01);
        let sent = self.sent(ordered);
        let mut segs = vec![self.msh(sent, "OMG^O19^OMG_O19"), self.pid(), Gen::pv1(v)];
        segs.push(self.orc("NW", &order, "", ordered, v));
        segs.push(Gen::tq1_routine());
        segs.push(Gen::exam_obr(&order, e.parent, v, None, None));
        segs.push(self.orc("PA", &order, "", ordered, v));
        segs.push(Gen::tq1_routine());
        segs.push(Gen::exam_obr(&order, e.parent, v, None, None));
        if endo {
            let reason = self.dxs.last().map(|d| d.dx.name).unwrap_or("上腹部痛");
            segs.push(format!("OBX|1|TX|MS3-34^臨床病名^JSHR||{reason}||||||F"));
            segs.push("OBX|2|TX|MS3-04^内視鏡検査理由^JSHR||臨床病名に対する精査||||||F".to_string());
        } else {
            segs.push(format!(
                "OBX||NM|01-02^体重^JSHR001||{:.0}|kg^kg^ISO+|||||F",
                self.p.weight
            ));
        }
        for (child, code) in children.iter().zip(e.children) {
            segs.push(self.child_orc(child, &order, ordered, v));
            segs.push(Gen::tq1_routine());
            segs.push(Gen::exam_obr(child, code, v, None, Some(&order)));
        }
        let date = Some(ordered.date());
        if life == Life::Deleted {
            let ct = self.sent_after(ordered, 10, 60);
            let mut cancel = segs.clone();
            cancel[0] = self.msh(ct, "OMG^O19^OMG_O19");
            for s in cancel.iter_mut() {
                for ctrl in ["ORC|NW|", "ORC|PA|", "ORC|CH|"] {
                    if s.starts_with(ctrl) {
                        *s = s.replacen(ctrl, "ORC|CA|", 1);
                    }
                }
            }
            self.emit(
                date,
                order_type,
                &order,
                v.dept.code,
                vec![(sent, segs), (ct, cancel)],
                Life::Deleted,
            );
            return;
        }
        self.emit(
            date,
            order_type,
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
        if report > self.export {
            return;
        }
        // --- report ---
        let rsent = self.sent(report);
        let accession = format!("A{}{}", d8(done.date()), &order[9..]);
        let uid = self.study_uid();
        let ipc = format!("IPC|{}|P{}|{}||{}^^DCM", accession, &order[7..], uid, e.modality);
        let mut segs = vec![self.msh(rsent, "OMI^Z23^OMI_Z23"), self.pid(), Gen::pv1(v)];
        segs.push(self.orc("NW", &order, "", ordered, v));
        segs.push(Gen::tq1_routine());
        segs.push(Gen::exam_obr(&order, e.parent, v, Some((done, report)), None));
        segs.push(ipc.clone());
        for (child, code) in children.iter().zip(e.children) {
            segs.push(self.child_orc(child, &order, ordered, v));
            segs.push(Gen::tq1_routine());
            segs.push(Gen::exam_obr(child, code, v, Some((done, report)), Some(&order)));
            if endo {
                segs.push(format!("ZE1|1|RS|{code}"));
                let (dept, doc) = self.doctor_of("03");
                let _ = dept;
                segs.push(format!(
                    "OBX|1|XCN|DR-02.EM-01^正従業員の実施医師^JSHR||{}||||||F",
                    xcn(doc)
                ));
                segs.push(format!("OBX|2|TS|TM-P1^開始時間^JSHR||{}||||||F", t14(done)));
                segs.push(format!(
                    "OBX|3|TS|TM-P2^終了時間^JSHR||{}||||||F",
                    t14(done + super::ts::minutes(self.rng.int(8, 25)))
                ));
            }
            segs.push(ipc.clone());
        }
        let text = finding(e.key, tag);
        let code = if endo {
            "ENDO-FND^内視鏡所見^99ZE1"
        } else {
            "RAD-FND^読影所見^99ZR1"
        };
        segs.push(
            Seg::new("OBX")
                .f(1, "1")
                .f(2, "TX")
                .f(3, code)
                .t(5, text)
                .f(11, "F")
                .f(14, &t12(report))
                .end(),
        );
        self.emit(
            Some(done.date()),
            result_type,
            &order,
            v.dept.code,
            vec![(rsent, segs)],
            Life::Plain,
        );
    }

    fn ecg(&mut self, e: &'static Exam, ordered: Dt, done: Dt, report: Dt, v: &Visit, tag: &str) {
        let order = self.order_no();
        let sent = self.sent(ordered);
        let mut segs = vec![self.msh(sent, "OMG^O19^OMG_O19"), self.pid(), Gen::pv1(v)];
        segs.push(self.orc("NW", &order, "", ordered, v));
        segs.push(Gen::tq1_routine());
        segs.push(
            Seg::new("OBR")
                .f(1, "1")
                .f(2, &order)
                .f(4, e.parent)
                .f(16, &xcn(v.doctor))
                .end(),
        );
        self.emit(
            Some(ordered.date()),
            "OMG-03",
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
        if report > self.export {
            return;
        }
        let af = tag == "af" || self.p.has("af");
        let tag = if af { "af" } else { tag };
        let hr = if af {
            self.rng.int(72, 110)
        } else {
            self.rng.int(56, 88)
        };
        let rr = 60.0 / hr as f64;
        let qt = self.rng.int(340, 420);
        let qtc = (qt as f64 / rr.sqrt()).round() as i64;
        let rsent = self.sent(report);
        let mut segs = vec![self.msh(rsent, "ORU^R01^ORU_R01"), self.pid(), Gen::pv1(v)];
        segs.push(
            Seg::new("OBR")
                .f(1, "1")
                .f(2, &order)
                .f(4, e.parent)
                .f(7, &t12(done))
                .f(16, &xcn(v.doctor))
                .f(22, &t14(report))
                .f(25, "F")
                .end(),
        );
        segs.push(
            Seg::new("OBX")
                .f(1, "1")
                .f(2, "TX")
                .f(3, "9A100&IMP^心電図所見^JC10")
                .f(4, "1")
                .t(5, finding("ecg", tag))
                .f(11, "F")
                .end(),
        );
        let mut rows: Vec<(&str, i64, &str)> = vec![("32769^心拍数^99MFR", hr, "bpm")];
        if !af {
            rows.push(("32770^PQ 時間^99MFR", self.rng.int(130, 200), "msec"));
        }
        rows.push(("58240^QRS 幅^99MFR", self.rng.int(80, 112), "msec"));
        rows.push(("56008^QT 時間^99MFR", qt, "msec"));
        rows.push(("59136^QTc 時間&Bazzet^99MFR", qtc, "msec"));
        rows.push(("32774^QRS 軸^99MFR", self.rng.int(-20, 80), "degree"));
        for (i, (code, val, unit)) in rows.iter().enumerate() {
            segs.push(format!("OBX|{}|NM|{}|2|{}|{}|||||F", i + 2, code, val, unit));
        }
        self.emit(
            Some(done.date()),
            "OMG-13",
            &order,
            v.dept.code,
            vec![(rsent, segs)],
            Life::Plain,
        );
    }
}
