//! Embedding the engine in another tool: load a mandate once, share it
//! across threads, check many proposals, serialize each decision.
//!
//! Run: `cargo run --example embed`

use mandate::{Mandate, Proposal};
use std::path::Path;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("bad date")?;

    // 1. Load once. Diagnostics are plain data: render them or ship them.
    let loaded = Mandate::load(Path::new("rules/ashdown/ashdown.mandate"), day);
    for diagnostic in &loaded.diagnostics {
        eprintln!("{diagnostic}");
    }
    let mandate = Arc::new(loaded.mandate.ok_or("the mandate has errors")?);

    // 2. Proposals usually arrive as JSON from elsewhere.
    let proposals = [
        r#"{"title": "Advice and guidance for dermatology", "topics": ["interface.advice_and_guidance"],
            "forum": "Acute Trust Interface Group", "cost": 12000, "duration_months": 6, "changes": []}"#,
        r#"{"title": "New GMS contract variation", "topics": ["contract.gms"]}"#,
        r#"{"title": "Outpatient follow-up redesign", "topics": ["interface.outpatients"],
            "forum": "Acute Trust Interface Group", "cost": 80000}"#,
    ];

    // 3. Check on several threads against the one shared mandate.
    let handles: Vec<_> = proposals
        .iter()
        .enumerate()
        .map(|(i, json)| {
            let mandate = Arc::clone(&mandate);
            let json = json.to_string();
            std::thread::spawn(move || -> Result<String, String> {
                let proposal = Proposal::from_json(&json, &format!("proposal-{i}"))
                    .map_err(|e| e.to_string())?;
                let decision = mandate
                    .check(&proposal, "patel", day)
                    .map_err(|e| e.to_string())?;
                serde_json::to_string(&decision).map_err(|e| e.to_string())
            })
        })
        .collect();

    // 4. Each decision is plain serde data.
    for handle in handles {
        let json = handle.join().map_err(|_| "a checking thread panicked")??;
        let value: serde_json::Value = serde_json::from_str(&json)?;
        println!(
            "{:<12} {:<9} {}",
            value["proposal"].as_str().unwrap_or("?"),
            value["outcome"].as_str().unwrap_or("?"),
            value["reasons"][0].as_str().unwrap_or("")
        );
    }
    Ok(())
}
