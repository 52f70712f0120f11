//! Writers from the clinical model to other formats. The readers fill the model; these write it
//! back out, so that drills and benchmarks can run the same hospital through every reader.

pub mod fhir;
