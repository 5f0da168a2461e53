"""Who is speaking, said with the request (issue "conversations that recover", class 3): the
name and the date of birth in many forms, either one alone, and the request without them."""

from __future__ import annotations

import pytest

from assistant.identity.introduction import introduction


@pytest.mark.parametrize(
    ("said", "language", "name", "dob", "rest"),
    [
        ("hi this is Maria Lopez born 3/3/82, I need to cancel my appointment", "en",
         "Maria Lopez", "3/3/82", "hi, I need to cancel my appointment"),
        ("Maria Lopez here, DOB March 3rd 1982 - need to cancel my appt", "en",
         "Maria Lopez", "March 3rd 1982", "need to cancel my appt"),
        ("It's Maria Lopez, dob 1982-03-03. When is my next appointment?", "en",
         "Maria Lopez", "1982-03-03", "When is my next appointment?"),
        ("Maria Lopez 03-03-1982 just confirming my appointment", "en",
         "Maria Lopez", "03-03-1982", "just confirming my appointment"),
        ("Hello, my name is Maria Lopez, birthday 3.3.1982, I'd like to reschedule", "en",
         "Maria Lopez", "3.3.1982", "Hello, I'd like to reschedule"),
        ("This is Maria Lopez, born on the 3rd of March 1982. Please cancel it", "en",
         "Maria Lopez", "the 3rd of March 1982", "Please cancel it"),
        ("hi yeah this is maria lopez born march third nineteen eighty two and i need to cancel",
         "en", "maria lopez", "march third nineteen eighty two", "hi yeah and i need to cancel"),
        ("um my name is maria lopez my birthday is march third eighty two when is my appt", "en",
         "maria lopez", "march third eighty two", "um when is my appt"),
        ("hi it's maria lopez march 3 1982 need to move my appt", "en",
         "maria lopez", "march 3 1982", "hi need to move my appt"),
        ("Hola, soy José Hernández, nací el 15/07/1975, quiero cancelar mi cita", "es",
         "José Hernández", "15/07/1975", "Hola, quiero cancelar mi cita"),
        ("buenas, José Hernández fecha de nacimiento 15 de julio de 1975, ¿cuándo es mi cita?",
         "es", "José Hernández", "15 de julio de 1975", "buenas, ¿cuándo es mi cita?"),
        ("me llamo jose hernandez naci el quince de julio de mil novecientos setenta y cinco y "
         "quiero cancelar", "es", "jose hernandez",
         "quince de julio de mil novecientos setenta y cinco", "y quiero cancelar"),
        ("Soy Jose Hernandez nacido el 15-7-75 necesito cambiar mi cita", "es",
         "Jose Hernandez", "15-7-75", "necesito cambiar mi cita"),
        ("me llamo ana maria de la cruz nací el 3 de mayo de 1990 quiero cancelar", "es",
         "ana maria de la cruz", "3 de mayo de 1990", "quiero cancelar"),
        ("yes hi maria lopez march third eighty two cancel my appointment please", "en",
         "maria lopez", "march third eighty two", "yes hi cancel my appointment please"),
        ("I am Maria Lopez, born March 3, 1982, and I would like to know when my visit is", "en",
         "Maria Lopez", "March 3 1982", "and I would like to know when my visit is"),
        ("this is maria lopez born 3/3/82 and 10 minutes late", "en",
         "maria lopez", "3/3/82", "and 10 minutes late"),
        ("le habla jose hernandez fecha de nacimiento quince del siete del setenta y cinco "
         "quiero confirmar mi cita", "es", "jose hernandez",
         "quince del siete del setenta y cinco", "quiero confirmar mi cita"),
        ("Maria Lopez - DOB 03.03.82 - I need to cancel tomorrow's appt", "en",
         "Maria Lopez", "03.03.82", "I need to cancel tomorrow's appt"),
        # one of the two
        ("hi this is Maria Lopez, I need to cancel my appointment", "en",
         "Maria Lopez", None, "hi, I need to cancel my appointment"),
        ("my dob is 3/3/82 and I want to check my appointment", "en",
         None, "3/3/82", "and I want to check my appointment"),
    ],
)  # fmt: skip
def test_the_name_and_date_of_birth_said_with_the_request(said, language, name, dob, rest):
    found = introduction(said, language)
    assert found is not None
    assert (found.name, found.date_of_birth, found.rest) == (name, dob, rest)


@pytest.mark.parametrize(
    "said",
    [
        "I'm running late",
        "i'm maria lopez and i need to cancel",  # "I'm" and words: maybe no name at all
        "this is kate, can i get in with dr brown this week",  # a first name only
        "I need to cancel my appointment",
        "I'm new, a sick visit Thursday morning",
        "soy paciente nueva y quiero una cita el jueves",
        "this is for my daughter Ava Smith",
        "this is the third time my appointment got messed up",
        "I'm stuck in traffic on I-95, 10 min late",
        "soy de la oficina del doctor ruiz",
        "I'd like to book for 3/4",
    ],
)
def test_no_introduction(said):
    assert introduction(said) is None
