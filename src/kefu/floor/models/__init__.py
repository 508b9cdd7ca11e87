"""Models of the floor: hands, states, leave, calls and alerts; people and recruitment."""

from kefu.floor.models.floor import (
    BREAK_STATES,
    PHONE_STATES,
    AgentState,
    CheckInSuggestion,
    Leave,
    MealAlert,
    QueueCall,
    RaisedHand,
)
from kefu.floor.models.people import (
    Candidate,
    CareerEvent,
    CoachingConversation,
    DisciplinaryNote,
    ExitRecord,
)
from kefu.floor.models.practices import (
    ContractType,
    InterviewScore,
    LeavePolicy,
    OnboardingStep,
    Opening,
    Overtime,
    PersonContract,
)

__all__ = [
    "BREAK_STATES",
    "PHONE_STATES",
    "AgentState",
    "Candidate",
    "CareerEvent",
    "CheckInSuggestion",
    "CoachingConversation",
    "ContractType",
    "DisciplinaryNote",
    "ExitRecord",
    "InterviewScore",
    "Leave",
    "LeavePolicy",
    "MealAlert",
    "OnboardingStep",
    "Opening",
    "Overtime",
    "PersonContract",
    "QueueCall",
    "RaisedHand",
]
