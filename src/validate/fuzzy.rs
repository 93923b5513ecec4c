//! "Did you mean": the closest known name to a mistyped one.

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo (a small edit distance relative to the length).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = word.chars().count();
    let mut best: Option<(&str, usize)> = None;
    // The edit distance costs length x length; past this many close-length
    // candidates, stop looking (a suggestion is a courtesy, not a duty).
    let mut budget = 2_000;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let other = candidate.chars().count();
        // About one edit per three characters: none for very short names,
        // where any other short name would look "close".
        let allowed = length.max(other) / 3;
        if length.abs_diff(other) > allowed {
            continue;
        }
        if budget == 0 {
            break;
        }
        budget -= 1;
        let distance = strsim::damerau_levenshtein(word, candidate);
        if distance <= allowed && best.is_none_or(|(_, d)| distance < d) {
            best = Some((candidate, distance));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_close_names_only() {
        let known = ["interface.outpatients", "services.virtual_wards", "funding"];
        assert_eq!(
            did_you_mean("interface.outpatient", known),
            Some("interface.outpatients")
        );
        assert_eq!(did_you_mean("fundng", known), Some("funding"));
        assert_eq!(did_you_mean("estates", known), None);
    }
}
