/// The parts of the OpenAI response bodies the client reads; everything else is ignored so that
/// compatible providers with extra or missing optional fields still work.
enum OpenAIWireFormat {
    struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
        var total_tokens: Int?

        var counts: TokenCounts {
            let prompt = self.prompt_tokens ?? 0
            let completion = self.completion_tokens ?? 0
            return TokenCounts(prompt: prompt, completion: completion, total: self.total_tokens ?? prompt + completion)
        }
    }

    struct ChatCompletion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
            }

            var message: Message?
            var finish_reason: String?
        }

        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }

    struct Embeddings: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: [Float]
        }

        var model: String?
        var data: [Item]
        var usage: Usage?
    }

    /// `{"error": {"message", "type", "code"}}`, as OpenAI and most compatible servers send it.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var code: String?

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                self.message = try? container.decodeIfPresent(String.self, forKey: .message)
                self.type = try? container.decodeIfPresent(String.self, forKey: .type)
                // Some providers send a numeric code.
                if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
                    self.code = text
                } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
                    self.code = String(number)
                } else {
                    self.code = nil
                }
            }

            enum CodingKeys: String, CodingKey {
                case message
                case type
                case code
            }
        }

        var error: Detail?
    }
}
