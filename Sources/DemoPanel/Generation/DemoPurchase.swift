/// One row of `purchases`: a purchase by one respondent.
public struct DemoPurchase: Sendable, Hashable {
    public var purchaseID: Int64
    public var respondentID: Int
    public var category: String
    public var brand: String
    /// The amount in paise (hundredths of a rupee), so both databases receive the exact decimal.
    public var amountCents: Int64
    public var purchaseDate: DemoDay

    public init(purchaseID: Int64, respondentID: Int, category: String, brand: String, amountCents: Int64, purchaseDate: DemoDay) {
        self.purchaseID = purchaseID
        self.respondentID = respondentID
        self.category = category
        self.brand = brand
        self.amountCents = amountCents
        self.purchaseDate = purchaseDate
    }

    /// The amount as a `numeric(10,2)` literal, e.g. `"1234.50"`.
    public var amountText: String {
        let units = self.amountCents / 100
        let cents = Int(self.amountCents % 100)
        return "\(units)." + (cents < 10 ? "0\(cents)" : "\(cents)")
    }

    /// The amount in rupees as a double (for arithmetic; the text form is exact).
    public var amount: Double {
        Double(self.amountCents) / 100
    }
}
