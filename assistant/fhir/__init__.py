"""FHIR R4 (4.0.1) view of the practice: read, search and transaction import.

The domain core of the EHR interface; the HTTP edge is `webhooks/fhir`. Every resource this
package produces is validated with `fhir.resources` (R4 models) before it leaves.

* `mapping`: Patient, Practitioner, Location, Appointment from the models (status table);
* `schedules`: Schedule per provider and location, Slot from availability and bookings;
* `server.read` / `server.search`: audited reads, searchset Bundles with paging;
* `importer.import_transaction_bundle`: Patients and Appointments, all-or-nothing;
* `capability.capability_statement`: what the server supports;
* `errors`: `FhirError` and its subclasses carry an HTTP status and an OperationOutcome.
"""
