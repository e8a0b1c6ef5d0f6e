/// A generated row that can write itself as a `COPY` text line, in its table's column order.
protocol DemoCopyRow: Sendable {
    static var table: DemoTableDefinition { get }
    func encode(into copy: inout DemoCopyBuffer)
}

extension DemoRespondent: DemoCopyRow {
    static var table: DemoTableDefinition { DemoPanelSchema.respondents }

    func encode(into copy: inout DemoCopyBuffer) {
        copy.append(self.respondentID)
        copy.append(self.gender)
        copy.append(self.ageBand)
        copy.append(self.nccs)
        copy.append(self.region)
        copy.append(self.cityTier)
        copy.append(self.householdSize)
        copy.append(self.weight)
        copy.endRow()
    }
}

extension DemoViewingEvent: DemoCopyRow {
    static var table: DemoTableDefinition { DemoPanelSchema.tvViewing }

    func encode(into copy: inout DemoCopyBuffer) {
        copy.append(self.eventID)
        copy.append(self.respondentID)
        copy.append(self.channel)
        copy.append(self.genre)
        copy.append(self.startTime)
        copy.append(self.minutes)
        copy.endRow()
    }
}

extension DemoPurchase: DemoCopyRow {
    static var table: DemoTableDefinition { DemoPanelSchema.purchases }

    func encode(into copy: inout DemoCopyBuffer) {
        copy.append(self.purchaseID)
        copy.append(self.respondentID)
        copy.append(self.category)
        copy.append(self.brand)
        copy.append(cents: self.amountCents)
        copy.append(self.purchaseDate)
        copy.endRow()
    }
}
