//! Chart assembly: one patient's records arranged for reading. Faces (CLI, GUI, PDF) read this.

mod dump;

pub use dump::PatientDump;
