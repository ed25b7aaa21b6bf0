import PostgresClient
import Testing

@Suite struct ListenerTests {
    @Test func notificationFromAnotherConnectionIsDelivered() async throws {
        try await withTestDatabase { db in
            let listener = try await PostgresListener.connect(conninfo: db.conninfo, logger: testLogger)
            // Needs identifier quoting: space, double quote, upper case, non-ASCII.
            let channel = "Vigil \"events\" ✓"
            try await listener.listen(channel)
            let notifications = listener.notifications
            let firstTwo = Task {
                var iterator = notifications.makeAsyncIterator()
                return [await iterator.next(), await iterator.next()]
            }

            let notifierPID = try await db.withConnection { notifier in
                // Not listened to: must not show up.
                try await notifier.query("SELECT pg_notify(\("other channel"), \("ignored"))")
                try await notifier.query("SELECT pg_notify(\(channel), \("payload 'one' ✓"))")
                try await notifier.query("SELECT pg_notify(\(channel), \(""))")
                return notifier.backendPID
            }

            let received = try await withTimeout("notifications") { await firstTwo.value }
            #expect(received.map { $0?.channel } == [channel, channel])
            #expect(received.map { $0?.payload } == ["payload 'one' ✓", ""])
            #expect(received.map { $0?.backendPID } == [notifierPID, notifierPID])
            await listener.close()
        }
    }

    @Test func closeFinishesTheStream() async throws {
        try await withTestDatabase { db in
            let listener = try await PostgresListener.connect(conninfo: db.conninfo, logger: testLogger)
            try await listener.listen("events")
            let notifications = listener.notifications
            let drained = Task {
                var count = 0
                for await _ in notifications { count += 1 }
                return count
            }
            await listener.close()
            #expect(try await withTimeout("stream to finish") { await drained.value } == 0)
            await expectPostgresError(.connectionClosed) { try await listener.listen("more") }
        }
    }

    @Test func brokenConnectionFinishesTheStream() async throws {
        try await withTestDatabase { db in
            let listener = try await PostgresListener.connect(conninfo: db.conninfo, logger: testLogger)
            try await listener.listen("events")
            let notifications = listener.notifications
            let drained = Task {
                for await _ in notifications {}
                return true
            }
            try await db.withConnection { admin in
                let killed = try await admin.query("SELECT pg_terminate_backend(\(listener.backendPID)) AS ok")
                #expect(try killed.first?.decode("ok", as: Bool.self) == true)
            }
            #expect(try await withTimeout("stream to finish") { await drained.value })
            await listener.close()
        }
    }
}
