extension DemoPanelGenerator {
    /// Most sessions one respondent can have, whatever the window: keeps one heavy viewer's buffer small.
    static let maximumSessionsPerRespondent = 4_000

    /// Appends one respondent's viewing sessions in time order, numbered from `firstID`.
    ///
    /// A share of respondents (more among the young) watch nothing, so reach stays below 100%.
    /// Viewers differ in volume (log-normal, higher with age) and taste: genre shares come from
    /// gender and age multipliers times personal noise, so breakdowns by gender or age differ clearly.
    /// Sessions prefer weekends and evenings; sport peaks in April–May (the cricket season).
    func appendViewing(of person: Profile, firstID: Int64, to rows: inout [DemoViewingEvent]) {
        var random = self.random(.viewing, respondent: person.id)
        if random.nextBool(probability: DemoVocabulary.nonViewerByAge[person.ageBand]) { return }

        let volume =
            random.nextLogNormalMeanOne(sigma: 0.7) * DemoVocabulary.viewingVolumeByAge[person.ageBand]
            * (person.gender == 0 ? 1.05 : 1.0)
        let expected = DemoVocabulary.sessionsPerMonth * Double(self.spec.months) * volume
        let count = min(Self.maximumSessionsPerRespondent, Int(expected + random.nextUnit()))

        let taste = DemoCategorical(
            weights: DemoVocabulary.genres.indices.map { genre in
                DemoVocabulary.genreBase[genre] * DemoVocabulary.genreByGender[person.gender][genre]
                    * DemoVocabulary.genreByAge[person.ageBand][genre] * random.nextLogNormalMeanOne(sigma: 0.5)
            }
        )

        var sessions: [(start: DemoTimestamp, order: Int, genre: Int, channel: Int, minutes: Int)] = []
        sessions.reserveCapacity(count)
        for order in 0..<count {
            let genre = taste.draw(&random)
            let day = self.drawDay(&random) { day, month in
                let weekday = day.weekday >= 5 ? 1.0 : 0.85
                guard genre == 0 else { return weekday }
                return weekday * (month == 4 || month == 5 ? 1.0 : 0.6)
            }
            let hour = DemoVocabulary.hourByGenre[genre].draw(&random)
            let start = DemoTimestamp(day: day, minuteOfDay: hour * 60 + random.nextInt(below: 60))
            let channel = DemoVocabulary.channelShare[genre].draw(&random)
            let length = random.nextLogNormal(median: DemoVocabulary.sessionMedianMinutes[genre], sigma: 0.6)
            let minutes = min(240, max(1, Int(length.rounded())))
            sessions.append((start, order, genre, channel, minutes))
        }
        sessions.sort { ($0.start, $0.order) < ($1.start, $1.order) }

        for (offset, session) in sessions.enumerated() {
            rows.append(
                DemoViewingEvent(
                    eventID: firstID + Int64(offset),
                    respondentID: person.id,
                    channel: DemoVocabulary.channels[session.genre][session.channel],
                    genre: DemoVocabulary.genres[session.genre],
                    startTime: session.start,
                    minutes: session.minutes
                )
            )
        }
    }
}
