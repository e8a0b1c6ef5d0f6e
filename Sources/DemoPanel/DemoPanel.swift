/// The bundled synthetic consumer panel: what `serve --demo` registers and `demo-data` loads.
///
/// Generation lives in ``DemoPanelGenerator``, storage in ``DemoPanelWriter`` (SQLite) and
/// ``DemoPanelLoader`` (PostgreSQL); this namespace holds what describes the dataset to the registry:
/// its name and summary, its weighting config and its named personas.
public enum DemoPanel {
    /// Bumped whenever generation or schema changes, so stale demo files are rebuilt.
    public static let formatVersion = 1
    /// SQLite `application_id` marking a file as a demo panel ("MCPD").
    public static let sqliteApplicationID: Int32 = 0x4D43_5044

    public static let datasetName = "Demo consumer panel"
    public static let summary =
        "Synthetic Indian consumer panel: respondents with gender, age band, NCCS class, region, city tier and a survey weight; "
        + "TV viewing sessions by channel and genre over the last 15 months; purchases by category and brand."
    public static let tags = ["demo", "panel", "tv", "purchases", "weighted"]

    /// Named personas for demos and tests; every filter uses the weighting config's merged values.
    public static let personas: [DemoPersona] = [
        DemoPersona(
            name: "urban_affluent_women",
            label: "Female 25-34 NCCS A",
            description: "Young affluent women (NCCS A includes A1).",
            filters: ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]]
        ),
        DemoPersona(
            name: "young_men",
            label: "Male 15-24",
            description: "Young men, the segment panels under-cover most (highest weights).",
            filters: ["gender": ["Male"], "age_band": ["15-24"]]
        ),
        DemoPersona(
            name: "mass_market_homemakers",
            label: "Female 35-54 NCCS C/D/E",
            description: "Women 35-54 in the mass market classes C, D and E.",
            filters: ["gender": ["Female"], "age_band": ["35-44", "45-54"], "nccs": ["C/D/E"]]
        ),
        DemoPersona(
            name: "seniors",
            label: "55+",
            description: "Everyone aged 55 and over.",
            filters: ["age_band": ["55+"]]
        ),
        DemoPersona(
            name: "south_affluent",
            label: "South NCCS A/B",
            description: "Affluent and upper-middle households in the South.",
            filters: ["region": ["South"], "nccs": ["A", "B"]]
        ),
    ]
}
