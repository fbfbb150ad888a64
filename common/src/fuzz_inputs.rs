//! The fuzz targets' inputs as the tests replay them: the checked-in corpus of a target and every
//! crashing input a fuzzer found (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`).

use std::path::{Path, PathBuf};

/// The workspace's `fuzz/` folder, from a crate's manifest folder.
pub fn fuzz_dir(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir).join("../fuzz")
}

/// Runs `target` on every input of its corpus and its regressions, and returns how many ran. A
/// failing input panics inside `target`, and the test names the file first.
pub fn replay(manifest_dir: &str, target: &str, run: impl Fn(&[u8])) -> usize {
    let mut count = 0;
    for kind in ["corpus", "regressions"] {
        let dir = fuzz_dir(manifest_dir).join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files.into_iter().filter(|f| f.is_file()) {
            let bytes = std::fs::read(&file).expect("a readable fuzz input");
            eprintln!("{target}: {}", file.display());
            run(&bytes);
            count += 1;
        }
    }
    count
}
